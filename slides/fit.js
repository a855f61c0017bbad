/* RB109-02 offline slides: a slide whose content is taller or wider than the slide is shrunk
   (CSS zoom) until it fits, never below MIN_ZOOM. The browser test measures the result.
   data-fit on the slide records the factor used (1 = untouched). */
(function () {
  var MIN_ZOOM = 0.5;
  function extent(slide) {
    var top = slide.getBoundingClientRect().top, bottom = top, left = Infinity, right = -Infinity;
    var all = slide.querySelectorAll('*');
    for (var i = 0; i < all.length; i++) {
      var r = all[i].getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.bottom > bottom) bottom = r.bottom;
      if (r.left < left) left = r.left;
      if (r.right > right) right = r.right;
    }
    return {top: top, bottom: bottom, left: left, right: right};
  }
  function fit(slide) {
    if (!slide || slide.querySelector('.jupyter-widgets')) return;
    var box = document.querySelector('.reveal .slides').getBoundingClientRect();
    slide.style.zoom = '';
    var zoom = 1;
    for (var pass = 0; pass < 5; pass++) {
      var e = extent(slide);
      var need = Math.min(1, (box.bottom - e.top) / (e.bottom - e.top),
                          (box.right - box.left) / Math.max(1, e.right - e.left));
      if (need >= 0.995) break;
      zoom = Math.max(MIN_ZOOM, zoom * need * 0.99);
      slide.style.zoom = String(zoom);
      if (zoom === MIN_ZOOM) break;
    }
    slide.setAttribute('data-fit', zoom.toFixed(2));
  }
  function fitCurrent() { fit(Reveal.getCurrentSlide()); }
  window.rb109FitSlide = fit;
  Reveal.on('ready', fitCurrent);
  Reveal.on('slidechanged', fitCurrent);
  if (Reveal.isReady()) fitCurrent();
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    MathJax.startup.promise.then(fitCurrent);
  }
})();
