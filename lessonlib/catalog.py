"""Every user-facing string of lessonlib, in English and Hebrew: one entry per key.

Terms follow ../shared/GLOSSARY.md (one Hebrew term per concept). Placeholders use
str.format syntax and must be the same in both languages (tests/test_text.py checks).
Add new keys in the section of the module that uses them.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # ---- text / setup -----------------------------------------------------------------
    "setup.language_set": {
        "en": "Lesson language: English",
        "he": "שפת השיעור: עברית",
    },
    "text.unknown_language": {
        "en": "Unknown language {got!r}: expected one of {expected}.",
        "he": "שפה לא מוכרת {got!r}: ציפיתי לאחת מ־{expected}.",
    },
    "text.bad_answers": {
        "en": "setup(answers=...) takes True or False; got {got!r}.",
        "he": "הפרמטר answers של setup() מקבל True או False; קיבלתי {got!r}.",
    },
    "text.missing_key": {
        "en": "[missing text: {key}]",
        "he": "[טקסט חסר: {key}]",
    },
    # ---- steps (names used in tables, plots and widgets) --------------------------------
    "step.forward": {"en": "1. forward pass", "he": "1. מעבר קדימה"},
    "step.loss": {"en": "2. loss", "he": "2. הפסד"},
    "step.zero_grad": {"en": "3. clear gradients (zero_grad)", "he": "3. איפוס הגרדיאנטים (zero_grad)"},
    "step.backward": {"en": "4. backpropagation (backward)", "he": "4. התפשטות לאחור (backward)"},
    "step.step": {"en": "5. parameter update (step)", "he": "5. עדכון הפרמטרים (step)"},
    # ---- stepper: what each step did, and misuse explained ------------------------------
    "stepper.did.forward": {
        "en": "Computed the prediction y_hat for {n} samples. No parameter changed.",
        "he": "המודל חישב את החיזוי y_hat עבור {n} דוגמאות. אף פרמטר לא השתנה.",
    },
    "stepper.did.loss": {
        "en": "MSE = {loss:.4f}. No parameter changed.",
        "he": "MSE = {loss:.4f}. אף פרמטר לא השתנה.",
    },
    "stepper.did.zero_grad_none": {
        "en": "Every .grad is now None (set_to_none=True, PyTorch's default). No parameter changed.",
        "he": "כל ‎.grad הוא עכשיו None (set_to_none=True, ברירת המחדל של PyTorch). אף פרמטר לא השתנה.",
    },
    "stepper.did.zero_grad_zeros": {
        "en": "With set_to_none=False every .grad is now a tensor of zeros. No parameter changed.",
        "he": "עם set_to_none=False כל ‎.grad הוא עכשיו טנזור של אפסים. אף פרמטר לא השתנה.",
    },
    "stepper.did.backward": {
        "en": "Computed dL/dW and dL/db for all {n} parameter tensors (stored in .grad). No parameter changed.",
        "he": "חושבו dL/dW ו־dL/db לכל {n} טנזורי הפרמטרים (נשמרו ב־‎.grad). אף פרמטר לא השתנה.",
    },
    "stepper.did.backward_accumulated": {
        "en": "backward() again without zero_grad(): the new gradients were ADDED to the old ones (.grad is now the sum of {count} backward passes). No parameter changed.",
        "he": "backward() שוב בלי zero_grad(): הגרדיאנטים החדשים נוספו לישנים (‎.grad הוא עכשיו סכום של {count} מעברים אחורה). אף פרמטר לא השתנה.",
    },
    "stepper.did.step": {
        "en": "W <- W - lr * dL/dW changed {n} parameter tensors. This is the only step that changes weights and biases.",
        "he": "העדכון W <- W - lr * dL/dW שינה {n} טנזורי פרמטרים. זה הצעד היחיד שמשנה משקולות והטיות.",
    },
    "stepper.did.step_other": {
        "en": "{optimizer} changed {n} parameter tensors using the gradients dL/dW (its own rule, not plain W - lr * dL/dW). This is the only step that changes weights and biases.",
        "he": "האופטימייזר {optimizer} שינה {n} טנזורי פרמטרים בעזרת הגרדיאנטים dL/dW, לפי כלל עדכון משלו (לא W - lr * dL/dW הפשוט). זה הצעד היחיד שמשנה משקולות והטיות.",
    },
    "stepper.problem.loss_before_forward": {
        "en": "Nothing to measure yet: the loss compares a prediction with the targets, and there is no prediction. Run forward() first.",
        "he": "עדיין אין מה למדוד: ההפסד משווה חיזוי לערכי המטרה, ועדיין אין חיזוי. הריצו קודם את forward().",
    },
    "stepper.problem.backward_before_loss": {
        "en": "backward() needs a loss to differentiate: there is none yet. Run forward() and then the loss first. No gradient was computed.",
        "he": "backward() צריך הפסד שאותו יגזור, ועדיין אין כזה. הריצו קודם את forward() ואחריו את ההפסד. לא חושבו גרדיאנטים.",
    },
    "stepper.problem.backward_stale": {
        "en": "The weights were written since the forward pass that built this loss (step() updates them in place, even when it moves them by zero). The loss's graph is out of date, so backward() was not run: do forward() and the loss again.",
        "he": "המשקולות נכתבו מאז המעבר קדימה שבנה את ההפסד הזה (step() מעדכן אותן במקום, גם כשהוא מזיז אותן באפס). הגרף של ההפסד כבר לא עדכני, ולכן backward() לא הורץ: הריצו שוב forward() ואת ההפסד.",
    },
    "stepper.problem.loss_stale": {
        "en": "The weights were written (by step(), or in place) after the forward pass that made this prediction, so a loss from it would be the loss of the old weights. No loss was computed, and the old one was dropped: run forward() first, then the loss.",
        "he": "המשקולות נכתבו (על ידי step(), או במקום) אחרי המעבר קדימה שיצר את החיזוי הזה, ולכן הפסד שיחושב ממנו יהיה ההפסד של המשקולות הישנות. לא חישבנו הפסד, ומחקנו את ההפסד הישן: הריצו קודם forward() ואחריו את ההפסד.",
    },
    "stepper.problem.step_without_grad": {
        "en": "step() found no gradients (every .grad is None), so nothing moved: the optimizer only follows gradients, and backward() computes them. Run backward() before step().",
        "he": "step() לא מצא גרדיאנטים (כל ‎.grad הוא None) ולכן שום דבר לא זז: האופטימייזר רק הולך לפי הגרדיאנטים, ו־backward() הוא שמחשב אותם. הריצו backward() לפני step().",
    },
    "stepper.problem.step_zero_grad": {
        "en": "step() found only zero gradients (zero_grad(set_to_none=False) and no backward()), and {optimizer} had nothing else to follow, so no parameter moved. Run backward() before step().",
        "he": "step() מצא רק גרדיאנטים אפסיים (zero_grad(set_to_none=False) בלי backward()), ול־{optimizer} לא היה שום דבר אחר ללכת לפיו, ולכן אף פרמטר לא זז. הריצו backward() לפני step().",
    },
    "stepper.problem.step_zero_grad_moved": {
        "en": "step() found only zero gradients (zero_grad(set_to_none=False) and no backward()), yet {optimizer} changed {n} parameter tensors: {reason} So the weights moved on old information, not on this batch. Run backward() before step().",
        "he": "step() מצא רק גרדיאנטים אפסיים (zero_grad(set_to_none=False) בלי backward()), ובכל זאת {optimizer} שינה {n} טנזורי פרמטרים: {reason} כלומר המשקולות זזו לפי מידע ישן, לא לפי האצווה הזו. הריצו backward() לפני step().",
    },
    "stepper.why.momentum": {
        "en": "momentum keeps a velocity built from the earlier gradients, and every step() keeps moving the weights along it.",
        "he": "המומנטום שומר מהירות שנבנתה מהגרדיאנטים הקודמים, וכל step() ממשיך להזיז את המשקולות לאורכה.",
    },
    "stepper.why.running_averages": {
        "en": "it keeps moving averages of the earlier gradients (its stored state), and they still move the weights when the new gradient is zero.",
        "he": "הוא שומר ממוצעים נעים של הגרדיאנטים הקודמים (המצב השמור שלו), והם ממשיכים להזיז את המשקולות גם כשהגרדיאנט החדש הוא אפס.",
    },
    "stepper.why.weight_decay": {
        "en": "weight decay pulls every weight toward zero even when the gradient is zero.",
        "he": "דעיכת המשקולות (weight decay) מושכת כל משקל לכיוון אפס גם כשהגרדיאנט הוא אפס.",
    },
    "stepper.why.state": {
        "en": "its update rule uses more than the current gradient (a state stored from earlier steps).",
        "he": "כלל העדכון שלו משתמש ביותר מהגרדיאנט הנוכחי (במצב ששמר מצעדים קודמים).",
    },
    "stepper.problem.step_twice": {
        "en": "step() again with the same gradients: the weights moved a second time in the same direction, although nothing was re-measured. In a real loop every step() follows a fresh forward/loss/backward.",
        "he": "step() שוב עם אותם גרדיאנטים: המשקולות זזו פעם שנייה באותו כיוון, בלי שמשהו נמדד מחדש. בלולאה אמיתית כל step() בא אחרי forward, הפסד ו־backward חדשים.",
    },
    "stepper.nonfinite.input_x": {
        "en": "Warning: the inputs xb contain {count} inf or NaN value(s), so the prediction is not finite: the loss, the gradients and, after step(), the weights will all be NaN or inf. Fix the data (drop or replace those values) before training on it.",
        "he": "אזהרה: הקלטים xb מכילים {count} ערכי inf או NaN, ולכן החיזוי אינו סופי: ההפסד, הגרדיאנטים, ואחרי step() גם המשקולות, יהיו כולם NaN או inf. תקנו את הנתונים (הסירו או החליפו את הערכים האלה) לפני שמאמנים עליהם.",
    },
    "stepper.nonfinite.input_y": {
        "en": "Warning: the targets yb contain {count} inf or NaN value(s), so the loss is not a finite number: the gradients and, after step(), the weights will be NaN or inf. Fix the data before training on it.",
        "he": "אזהרה: ערכי המטרה yb מכילים {count} ערכי inf או NaN, ולכן ההפסד אינו מספר סופי: הגרדיאנטים, ואחרי step() גם המשקולות, יהיו NaN או inf. תקנו את הנתונים לפני שמאמנים עליהם.",
    },
    "stepper.nonfinite.weights": {
        "en": "Warning: {count} weight and bias values are inf or NaN (in {names}), so every prediction from now on is NaN or inf. Training has diverged, most often because the learning rate is too large: start over from fresh weights with a smaller learning rate.",
        "he": "אזהרה: {count} ערכים של המשקולות וההטיות הם inf או NaN (ב־{names}), ולכן כל חיזוי מעכשיו יהיה NaN או inf. האימון התבדר, לרוב בגלל קצב למידה גדול מדי: התחילו מחדש ממשקולות חדשות עם קצב למידה קטן יותר.",
    },
    "stepper.nonfinite.weights_after_step": {
        "en": "Warning: after this update {count} weight and bias values are inf or NaN (in {names}): training has diverged, most often because the learning rate is too large. Start over from fresh weights with a smaller learning rate.",
        "he": "אזהרה: אחרי העדכון הזה {count} ערכים של המשקולות וההטיות הם inf או NaN (ב־{names}): האימון התבדר, לרוב בגלל קצב למידה גדול מדי. התחילו מחדש ממשקולות חדשות עם קצב למידה קטן יותר.",
    },
    "stepper.nonfinite.prediction": {
        "en": "Warning: the prediction y_hat has {count} inf or NaN value(s), although the inputs and the weights are finite: the numbers overflowed inside the network (the weights have grown far too large). Training has diverged: start over with a smaller learning rate.",
        "he": "אזהרה: בחיזוי y_hat יש {count} ערכי inf או NaN, אף שהקלטים והמשקולות סופיים: המספרים גלשו בתוך הרשת (המשקולות גדלו הרבה יותר מדי). האימון התבדר: התחילו מחדש עם קצב למידה קטן יותר.",
    },
    "stepper.nonfinite.loss": {
        "en": "Warning: the loss is {loss}, not a finite number (it comes from a prediction that is inf or NaN, or too large to square), so backward() would give NaN or inf gradients. Training has diverged: start over with a smaller learning rate.",
        "he": "אזהרה: ההפסד הוא {loss}, לא מספר סופי (הוא בא מחיזוי שהוא inf או NaN, או גדול מכדי להעלות בריבוע), ולכן backward() ייתן גרדיאנטים של NaN או inf. האימון התבדר: התחילו מחדש עם קצב למידה קטן יותר.",
    },
    "stepper.nonfinite.grad": {
        "en": "Warning: {count} gradient values are inf or NaN (in {names}); step() would write them into the weights. Do not update with them: find where the inf or NaN comes from (the data, or a loss that has already diverged).",
        "he": "אזהרה: {count} ערכי גרדיאנט הם inf או NaN (ב־{names}); step() יכתוב אותם לתוך המשקולות. אל תעדכנו איתם: מצאו מאיפה מגיעים ה־inf או ה־NaN (מהנתונים, או מהפסד שכבר התבדר).",
    },
    # ---- train ---------------------------------------------------------------------------
    "train.progress": {
        "en": "epoch {epoch}/{epochs}  train loss {train:.4f}  val loss {val:.4f}",
        "he": "אפוק {epoch}/{epochs}  הפסד אימון {train:.4f}  הפסד ולידציה {val:.4f}",
    },
    "train.unknown_optimizer": {
        "en": "Unknown optimizer {got!r}: expected one of {expected}.",
        "he": "אופטימייזר לא מוכר {got!r}: ציפיתי לאחד מ־{expected}.",
    },
    "train.diverged": {
        "en": "Training diverged at epoch {epoch}: the loss became {loss:.3g}, {ratio:.3g} times the untrained network's training loss {reference:.4g} (divergence: a loss that is inf/NaN or more than {factor:g} times that). Learning rate {lr:g} is too large for {optimizer}.",
        "he": "האימון התבדר באפוק {epoch}: ההפסד הפך ל־{loss:.3g}, פי {ratio:.3g} מהפסד האימון של הרשת שלא אומנה, {reference:.4g} (התבדרות: הפסד שהוא inf/NaN או גדול פי יותר מ־{factor:g} מזה). קצב הלמידה {lr:g} גדול מדי עבור {optimizer}.",
    },
    "train.diverged_nonfinite": {
        "en": "Training diverged at epoch {epoch}: the loss became {loss} (not a finite number). Learning rate {lr:g} is too large for {optimizer}.",
        "he": "האימון התבדר באפוק {epoch}: ההפסד הפך ל־{loss} (לא מספר סופי). קצב הלמידה {lr:g} גדול מדי עבור {optimizer}.",
    },
    # ---- display (show) ------------------------------------------------------------------------
    "display.history": {
        "en": "{optimizer}, lr = {lr:g}, {epochs} epochs: final train loss {train:.4g}, val loss {val:.4g}",
        "he": "{optimizer}, lr = {lr:g}, {epochs} אפוקים: הפסד האימון האחרון {train:.4g}, הפסד הוולידציה {val:.4g}",
    },
    "display.unknown_item": {
        "en": "show() cannot display a {type}: give it a sentence (str), a step record (StepRecord), a History, a checker Result, or a list of these.",
        "he": "show() לא יודע להציג {type}: תנו לו משפט (str), רשומה של צעד (StepRecord), History, תוצאה של בודק (Result) או רשימה של אלה.",
    },
    # ---- site (tools/site.py: the course site's pages, `make site`) ----------------------------
    "site.course_title": {
        "en": "RB109-02: Neural-network fundamentals, one training step at a time",
        "he": "RB109-02: יסודות רשתות נוירונים, צעד אחר צעד",
    },
    "site.intro": {
        "en": "Every lesson as its notebook shows it, with its saved outputs: read it here without running anything. To run a lesson, open it in Colab or Binder.",
        "he": "כל שיעור כפי שהמחברת שלו מציגה אותו, עם הפלטים השמורים שלו: אפשר לקרוא אותו כאן בלי להריץ דבר. כדי להריץ שיעור, פתחו אותו ב־Colab או ב־Binder.",
    },
    "site.language_name": {"en": "English", "he": "עברית"},
    "site.col_number": {"en": "No.", "he": "מס׳"},
    "site.col_lesson": {"en": "Lesson", "he": "שיעור"},
    "site.col_run": {"en": "Run it", "he": "הרצה"},
    "site.open_colab": {"en": "Open in Colab", "he": "פתיחה ב־Colab"},
    "site.open_binder": {"en": "Open in Binder", "he": "פתיחה ב־Binder"},
    "site.all_lessons": {"en": "All lessons", "he": "כל השיעורים"},
    "site.previous": {"en": "Previous lesson", "he": "השיעור הקודם"},
    "site.next": {"en": "Next lesson", "he": "השיעור הבא"},
    "site.source": {"en": "Source on GitHub", "he": "קוד המקור ב־GitHub"},
    "site.widgets_note": {
        "en": "The interactive tools on this page show the state they were saved in and do not answer clicks here. To use them, open the lesson in Colab or Binder.",
        "he": "הכלים האינטראקטיביים בעמוד הזה מוצגים במצב שבו נשמרו, ואינם מגיבים כאן ללחיצות. כדי להשתמש בהם, פתחו את השיעור ב־Colab או ב־Binder.",
    },
    # ---- plots -----------------------------------------------------------------------------
    "plot.x": {"en": "x", "he": "x"},
    "plot.y": {"en": "y", "he": "y"},
    "plot.epoch": {"en": "epoch", "he": "אפוק"},
    "plot.mse": {"en": "MSE loss", "he": "הפסד MSE"},
    "plot.train_points": {"en": "training set", "he": "סט אימון"},
    "plot.val_points": {"en": "validation set", "he": "סט ולידציה"},
    "plot.truth": {"en": "truth: y = 2x + 1", "he": "האמת: y = 2x + 1"},
    "plot.prediction": {"en": "network's prediction", "he": "החיזוי של הרשת"},
    "plot.train_loss": {"en": "training loss", "he": "הפסד אימון"},
    "plot.val_loss": {"en": "validation loss", "he": "הפסד ולידציה"},
    "plot.title.data": {"en": "The lesson's data: y = 2x + 1", "he": "הנתונים של השיעור: y = 2x + 1"},
    "plot.title.fit": {"en": "What the network learned", "he": "מה הרשת למדה"},
    "plot.title.history": {"en": "Learning history: y = 2x + 1", "he": "היסטוריית הלמידה: y = 2x + 1"},
    "plot.title.landscape": {"en": "Loss landscape of y = wx + b", "he": "נוף ההפסד של y = wx + b"},
    "plot.w": {"en": "w (weight)", "he": "w (משקל)"},
    "plot.b": {"en": "b (bias)", "he": "b (הטיה)"},
    "plot.minimum": {"en": "minimum: w = {w:.3g}, b = {b:.3g}", "he": "מינימום: w = {w:.3g}, b = {b:.3g}"},   # not "(2, 1)": bidi shows it as (1 ,2) in Hebrew
    "plot.optimizer.sgd": {"en": "SGD", "he": "SGD"},
    "plot.optimizer.momentum": {"en": "SGD + momentum 0.9", "he": "SGD עם מומנטום 0.9"},
    "plot.optimizer.rmsprop": {"en": "RMSprop", "he": "RMSprop"},
    "plot.optimizer.adam": {"en": "Adam", "he": "Adam"},
    # ---- graph (lessonlib.graph, lessonlib.graph_plot, the graph widget) ------------------------
    "graph.did.reset": {
        "en": "Started over: only the data and the parameters have values; no intermediate value and no gradient yet.",
        "he": "התחלנו מחדש: רק לנתונים ולפרמטרים יש ערכים; עדיין אין ערכי ביניים ואין גרדיאנטים.",
    },
    "graph.did.forward": {
        "en": "Forward pass, node {node} ({done} of {total}): {formula}",
        "he": "מעבר קדימה, הצומת {node} ({done} מתוך {total}): {formula}",
    },
    "graph.did.forward_last": {
        "en": "Forward pass, node {node} ({done} of {total}): {formula}. The forward pass is complete: every node has its value, and backpropagation can start from L.",
        "he": "מעבר קדימה, הצומת {node} ({done} מתוך {total}): {formula}. המעבר קדימה הושלם: לכל צומת יש ערך, ואפשר להתחיל את ההתפשטות לאחור מ־L.",
    },
    "graph.did.backward": {
        "en": "Backpropagation, node {node} ({done} of {total}), by the chain rule: {formula}",
        "he": "התפשטות לאחור, הצומת {node} ({done} מתוך {total}), לפי כלל השרשרת: {formula}",
    },
    "graph.did.backward_relu_off": {
        "en": "Backpropagation, node {node} ({done} of {total}), by the chain rule: {formula}. The ReLU is off here (z1 <= 0), so its local derivative is 0: the gradient stops at the ReLU, and every gradient to its left is 0.",
        "he": "התפשטות לאחור, הצומת {node} ({done} מתוך {total}), לפי כלל השרשרת: {formula}. ה־ReLU כבוי כאן (z1 <= 0), ולכן הנגזרת המקומית שלו היא 0: הגרדיאנט נעצר ב־ReLU, וכל הגרדיאנטים משמאלו הם 0.",
    },
    "graph.did.backward_last": {
        "en": "Backpropagation, node {node} ({done} of {total}), by the chain rule: {formula}. Backpropagation is complete: every parameter has its gradient. The data x and y get none, as in PyTorch (they do not require a gradient).",
        "he": "התפשטות לאחור, הצומת {node} ({done} מתוך {total}), לפי כלל השרשרת: {formula}. ההתפשטות לאחור הושלמה: לכל פרמטר יש גרדיאנט. הנתונים x ו־y לא מקבלים גרדיאנט, כמו ב־PyTorch (הם לא דורשים גרדיאנט).",
    },
    "graph.problem.forward_done": {
        "en": "The forward pass is already complete: all {total} values are filled. Go on with backpropagation, or start over.",
        "he": "המעבר קדימה כבר הושלם: כל {total} הערכים מולאו. המשיכו בהתפשטות לאחור, או התחילו מחדש.",
    },
    "graph.problem.backward_before_forward": {
        "en": "Backpropagation cannot start yet: the forward pass is not complete ({done} of {total} values; {missing} has no value yet). It starts from the loss L, and every local derivative needs the values of the forward pass. Finish the forward pass first. No gradient was computed.",
        "he": "עוד אי אפשר להתחיל את ההתפשטות לאחור: המעבר קדימה לא הושלם ({done} מתוך {total} ערכים; לצומת {missing} עדיין אין ערך). ההתפשטות לאחור מתחילה מההפסד L, וכל נגזרת מקומית צריכה את הערכים של המעבר קדימה. השלימו קודם את המעבר קדימה. לא חושבו גרדיאנטים.",
    },
    "graph.problem.backward_done": {
        "en": "Backpropagation is already complete: all {total} gradients are filled. Start over to go through it again.",
        "he": "ההתפשטות לאחור כבר הושלמה: כל {total} הגרדיאנטים מולאו. התחילו מחדש כדי לעבור עליה שוב.",
    },
    "graph.problem.unknown_leaf": {
        "en": "Unknown input {got!r}: the graph's data and parameters are {expected}.",
        "he": "קלט לא מוכר {got!r}: הנתונים והפרמטרים של הגרף הם {expected}.",
    },
    "graph.problem.bad_leaf": {
        "en": "{name} must be a finite number: got {got!r}.",
        "he": "{name} צריך להיות מספר סופי: קיבלתי {got!r}.",
    },
    "graph.plot.title": {
        "en": "Computational graph: {done} of {total} values, {gdone} of {gtotal} gradients",
        "he": "גרף חישוב: {done} מתוך {total} ערכים, {gdone} מתוך {gtotal} גרדיאנטים",
    },
    "graph.plot.data": {"en": "data", "he": "נתונים"},
    "graph.plot.param": {"en": "parameter", "he": "פרמטר"},
    "graph.plot.op": {"en": "computed node", "he": "צומת מחושב"},
    "graph.plot.last": {"en": "filled by the last step", "he": "מולא בצעד האחרון"},
    "graph.plot.key": {
        "en": "In each box: the value (forward pass), and under it in red the gradient dL/d(node) (backpropagation). On each edge: the local derivative.",
        "he": "בכל תיבה: הערך (מעבר קדימה), ומתחתיו באדום הגרדיאנט dL/d(node) (התפשטות לאחור). על כל קשת: הנגזרת המקומית.",
    },
    "graph.layers.title": {
        "en": "The lesson's network as a computational graph (a batch of B samples)",
        "he": "הרשת של השיעור כגרף חישוב (אצווה של B דוגמאות)",
    },
    "graph.layers.key": {
        "en": "Black arrows: the forward pass, left to right. Red dashed arrows: backpropagation, which leaves the gradient of each parameter p in p.grad (same shape as p).",
        "he": "חצים שחורים: המעבר קדימה, משמאל לימין. חצים אדומים מקווקווים: ההתפשטות לאחור, שמשאירה את הגרדיאנט של כל פרמטר p ב־p.grad (באותה צורה כמו p).",
    },
    "graph.widget.forward_one": {"en": "Forward: one node", "he": "קדימה: צומת אחד"},
    "graph.widget.backward_one": {"en": "Backward: one node", "he": "אחורה: צומת אחד"},
    "graph.widget.forward_all": {"en": "Whole forward pass", "he": "כל המעבר קדימה"},
    "graph.widget.backward_all": {"en": "Whole backward pass", "he": "כל המעבר אחורה"},
    "graph.widget.reset": {"en": "Start over", "he": "התחלה מחדש"},
    "graph.widget.forward_one.tip": {
        "en": "Compute the value of the next node, left to right",
        "he": "חישוב הערך של הצומת הבא, משמאל לימין",
    },
    "graph.widget.backward_one.tip": {
        "en": "Compute the gradient of the next node, right to left, by the chain rule",
        "he": "חישוב הגרדיאנט של הצומת הבא, מימין לשמאל, לפי כלל השרשרת",
    },
    "graph.widget.forward_all.tip": {"en": "Compute every value that is still missing", "he": "חישוב כל הערכים שעדיין חסרים"},
    "graph.widget.backward_all.tip": {
        "en": "Compute every gradient that is still missing",
        "he": "חישוב כל הגרדיאנטים שעדיין חסרים",
    },
    "graph.widget.reset.tip": {"en": "Clear every computed value and gradient", "he": "מחיקת כל הערכים והגרדיאנטים שחושבו"},
    "graph.widget.relu_off": {"en": "ReLU off: b1 = -1.5", "he": "ReLU כבוי: b1 = -1.5"},
    "graph.widget.relu_off.tip": {
        "en": "On: b1 = -1.5 makes z1 negative, so the ReLU outputs 0 and passes no gradient back",
        "he": "מופעל: b1 = -1.5 הופך את z1 לשלילי, ולכן ה־ReLU מוציא 0 ולא מעביר גרדיאנט אחורה",
    },
    "graph.widget.start": {
        "en": "Click “Forward: one node” to compute the first value. Each click fills one node and says how it was computed.",
        "he": "לחצו על „קדימה: צומת אחד” כדי לחשב את הערך הראשון. כל לחיצה ממלאת צומת אחד ומסבירה איך חישבנו אותו.",
    },
    "graph.widget.status": {
        "en": "Values: {done} of {total} · gradients: {gdone} of {gtotal} · next: {next}",
        "he": "ערכים: {done} מתוך {total} · גרדיאנטים: {gdone} מתוך {gtotal} · הבא: {next}",
    },
    "graph.widget.relu_now_off": {
        "en": "Now b1 = {b1:g}: z1 = w1*x + b1 will be negative, so the ReLU outputs 0, its local derivative is 0, and no gradient passes back through it. Predict which gradients will be 0, then step.",
        "he": "עכשיו b1 = {b1:g}: z1 = w1*x + b1 יהיה שלילי, ולכן ה־ReLU יוציא 0, הנגזרת המקומית שלו תהיה 0, ושום גרדיאנט לא יעבור דרכו אחורה. נחשו אילו גרדיאנטים יהיו 0, ואז התקדמו צעד אחר צעד.",
    },
    "graph.widget.relu_now_on": {
        "en": "Back to b1 = {b1:g}: z1 > 0, so the ReLU passes its input forward and the gradient back.",
        "he": "חזרה ל־b1 = {b1:g}: z1 > 0, ולכן ה־ReLU מעביר את הקלט שלו קדימה ואת הגרדיאנט אחורה.",
    },
    "graph.widget.row_value": {"en": "value", "he": "ערך"},
    "graph.widget.row_grad": {"en": "gradient dL/d(node)", "he": "גרדיאנט dL/d(node)"},
    "graph.widget.next_forward": {"en": "the value of {node}", "he": "הערך של {node}"},
    "graph.widget.next_backward": {"en": "the gradient of {node}", "he": "הגרדיאנט של {node}"},
    "graph.widget.next_none": {"en": "nothing: both passes are complete", "he": "שום דבר: שני המעברים הושלמו"},
    # ---- checks ----------------------------------------------------------------------------
    "check.unanswered": {
        "en": "Not answered yet: replace the ... with your answer and run the cell again.",
        "he": "עדיין לא נענה: החליפו את ה־... בתשובה שלכם והריצו שוב את התא.",
    },
    "check.correct": {"en": "Correct! {detail}", "he": "נכון! {detail}"},
    "check.wrong_number": {
        "en": "Not yet: got {got}: {narrow}",
        "he": "עוד לא: קיבלתי {got}: {narrow}",
    },
    "check.mistake": {
        "en": "Not yet: got {got}. {diagnosis}",
        "he": "עוד לא: קיבלתי {got}. {diagnosis}",
    },
    "check.narrow.sign": {"en": "the sign is wrong.", "he": "הסימן הפוך."},
    "check.narrow.too_big": {"en": "too big.", "he": "גדול מדי."},
    "check.narrow.too_small": {"en": "too small.", "he": "קטן מדי."},
    "check.narrow.close_big": {
        "en": "the right order of magnitude, but a little too big.",
        "he": "סדר הגודל נכון, אבל זה קצת גדול מדי.",
    },
    "check.narrow.close_small": {
        "en": "the right order of magnitude, but a little too small.",
        "he": "סדר הגודל נכון, אבל זה קצת קטן מדי.",
    },
    "check.narrow.big_2_10": {
        "en": "too big, by a factor between two and ten.",
        "he": "גדול מדי, פי שניים עד פי עשרה.",
    },
    "check.narrow.small_2_10": {
        "en": "too small, by a factor between two and ten.",
        "he": "קטן מדי, פי שניים עד פי עשרה.",
    },
    "check.narrow.big_over_10": {
        "en": "too big, by more than a factor of ten.",
        "he": "גדול מדי, ביותר מפי עשרה.",
    },
    "check.narrow.small_over_10": {
        "en": "too small, by more than a factor of ten.",
        "he": "קטן מדי, ביותר מפי עשרה.",
    },
    "check.try_again": {
        "en": "Try again. (Wrong tries so far: {tries}. The answer appears after {limit}, or now with reveal(\"{id}\").)",
        "he": "נסו שוב. (ניסיונות שגויים עד עכשיו: {tries}. התשובה תוצג אחרי {limit}, או כבר עכשיו עם reveal(\"{id}\").)",
    },
    "check.revealed_after": {
        "en": "After {tries} different wrong tries, here is the expected answer: {answer}. Compare it with your work, and open the solution under the exercise to see how to get there.",
        "he": "אחרי {tries} ניסיונות שגויים שונים, הנה התשובה הצפויה: {answer}. השוו אותה לעבודה שלכם, ופתחו את הפתרון שמתחת לתרגיל כדי לראות איך מגיעים אליה.",
    },
    "check.reveal": {
        "en": "The expected answer to {id}: {answer}. The solution under the exercise shows how to get there.",
        "he": "התשובה הצפויה לתרגיל {id}: {answer}. הפתרון שמתחת לתרגיל מראה איך מגיעים אליה.",
    },
    "check.try_again_answers_off": {
        "en": "Try again. (Wrong tries so far: {tries}.)",
        "he": "נסו שוב. (ניסיונות שגויים עד עכשיו: {tries}.)",
    },
    "check.answers_off": {
        "en": "Answers are off in this edition: reveal(\"{id}\") does not show the expected answer. check() still says whether your answer is right, and what is wrong with it.",
        "he": "במהדורה הזו התשובות לא מוצגות: reveal(\"{id}\") לא מציגה את התשובה הצפויה. הפונקציה check() עדיין כותבת אם התשובה שלכם נכונה, ומה לא בסדר בה.",
    },
    "check.bad_type": {
        "en": "Got {got} of type {type}; expected {expected}.",
        "he": "קיבלתי {got} מסוג {type}; ציפיתי ל{expected}.",
    },
    "check.bad_shape": {
        "en": "Got an array of shape {got}; expected shape {expected}.",
        "he": "קיבלתי מערך בצורה {got}; ציפיתי לצורה {expected}.",
    },
    "check.not_finite": {
        "en": "Got {got}, which contains NaN or inf; expected finite numbers ({expected}).",
        "he": "קיבלתי {got}, שמכיל NaN או inf; ציפיתי למספרים סופיים ({expected}).",
    },
    "check.array_mismatch": {
        "en": "Not yet: {count} of {total} values are off by more than {tol}. The first of them is at index {where}: {narrow}",
        "he": "עוד לא: {count} מתוך {total} ערכים שגויים ביותר מ־{tol}. הראשון שבהם נמצא באינדקס {where}: {narrow}",
    },
    "check.bad_choice": {
        "en": "Got {got}; expected one of {options}.",
        "he": "קיבלתי {got}; ציפיתי לאחת מהאפשרויות {options}.",
    },
    "check.wrong_choice": {
        "en": "Not yet: {got} is not the right choice. {hint}",
        "he": "עוד לא: {got} היא לא הבחירה הנכונה. {hint}",
    },
    "check.expect.number": {"en": "a number", "he": "מספר"},
    "check.expect.array": {"en": "an array or tensor of shape {shape}", "he": "מערך או טנזור בצורה {shape}"},
    "check.expect.text": {"en": "one of {options}", "he": "אחת מהאפשרויות {options}"},
    "check.unknown_exercise": {
        "en": "Unknown exercise {got!r}: expected one of {expected}.",
        "he": "תרגיל לא מוכר {got!r}: ציפיתי לאחד מ־{expected}.",
    },
    "check.expect.shape": {
        "en": "a shape: a tuple of whole numbers, one per axis, like {example}",
        "he": "צורה: tuple של מספרים שלמים, אחד לכל ציר, כמו {example}",
    },
    "check.expect.unknown": {
        "en": "an answer of the kind the exercise asks for (see its text)",
        "he": "תשובה מהסוג שהתרגיל מבקש (ראו את הנוסח שלו)",
    },
    "check.too_large_number": {
        "en": "Got {got}: a whole number with {digits} digits. It is a number, but far too large to compute with (a float holds at most about 1.8e308); expected {expected}.",
        "he": "קיבלתי {got}: מספר שלם עם {digits} ספרות. זה מספר, אבל גדול מדי בהרבה כדי לחשב איתו (float מחזיק לכל היותר בערך 1.8e308); ציפיתי ל{expected}.",
    },
    "check.too_large_in_array": {
        "en": "Got {got}: it holds a whole number with {digits} digits, far too large to compute with (a float holds at most about 1.8e308); expected {expected}.",
        "he": "קיבלתי {got}: יש בו מספר שלם עם {digits} ספרות, גדול מדי בהרבה כדי לחשב איתו (float מחזיק לכל היותר בערך 1.8e308); ציפיתי ל{expected}.",
    },
    "check.shape.array_itself": {
        "en": "Got a {type}: the array itself, not its shape; expected {expected} (an array's .shape gives it).",
        "he": "קיבלתי {type}: את המערך עצמו ולא את הצורה שלו; ציפיתי ל{expected} (‎.shape של מערך נותן אותה).",
    },
    "check.shape.bad_element": {
        "en": "Got {got}: {element} {problem}; expected {expected}.",
        "he": "קיבלתי {got}: {element} {problem}; ציפיתי ל{expected}.",
    },
    "check.shape.is_bool": {
        "en": "is a boolean (True or False), not a whole number",
        "he": "הוא ערך בוליאני (True או False), לא מספר שלם",
    },
    "check.shape.not_whole": {
        "en": "is of type {type}, not a whole number (int)",
        "he": "הוא מסוג {type}, לא מספר שלם (int)",
    },
    "check.shape.negative": {
        "en": "is negative, but a size counts elements, so it is 0 or more",
        "he": "שלילי, אבל גודל סופר איברים ולכן הוא 0 או יותר",
    },
    "check.shape.count": {
        "en": "Not yet: got {got}, with {n} number(s); expected {k} numbers, one for each axis of the array.",
        "he": "עוד לא: קיבלתי {got} (מספר האיברים: {n}); ציפיתי ל־{k} מספרים, אחד לכל ציר של המערך.",
    },
    "check.shape.transposed": {
        "en": "Not yet: got {got}: the right sizes, in the wrong order. A shape lists the axes in order: first the number of rows (one per sample), then the columns.",
        "he": "עוד לא: קיבלתי {got}: הגדלים הנכונים, בסדר הלא נכון. צורה מונה את הצירים לפי הסדר: קודם מספר השורות (שורה לכל דוגמה), ואחר כך העמודות.",
    },
    "check.shape.same_total": {
        "en": "Not yet: got {got}: the right number of elements in all, but spread over the axes differently. How many rows (samples) are there, and how many columns?",
        "he": "עוד לא: קיבלתי {got}: מספר האיברים הכולל נכון, אבל הם מחולקים בין הצירים אחרת. כמה שורות (דוגמאות) יש, וכמה עמודות?",
    },
    "check.shape.wrong_axes": {
        "en": "Not yet: got {got}: not every size is right; look again at axis {axes}.",
        "he": "עוד לא: קיבלתי {got}: לא כל הגדלים נכונים; בדקו שוב את ציר {axes}.",
    },
    "check.exercise_id_type": {
        "en": "check() takes the exercise id first, as text such as {example!r}; got {got} of type {type}. Expected one of {expected}.",
        "he": "הפונקציה check() מקבלת קודם את מזהה התרגיל, כטקסט כמו {example!r}; קיבלתי {got} מסוג {type}. ציפיתי לאחד מ־{expected}.",
    },
    "check.did_you_mean": {
        "en": "Did you mean {suggestion!r}?",
        "he": "אולי התכוונתם ל־{suggestion!r}?",
    },
    "check.internal_error": {
        "en": "The checker could not read this answer ({error}); expected {expected}.",
        "he": "הבודק לא הצליח לקרוא את התשובה ({error}); ציפיתי ל{expected}.",
    },
    # ---- envcheck (lesson 00: is this Python ready?) -------------------------------------------
    "env.short_ok": {"en": "{component}: OK", "he": "{component}: תקין"},
    "env.ok": {
        "en": "{component} {version}: OK (>= {minimum} needed)",
        "he": "{component} {version}: תקין (נדרשת גרסה {minimum} ומעלה)",
    },
    "env.ok_range": {
        "en": "{component} {version}: OK (>= {minimum} and < {below} needed)",
        "he": "{component} {version}: תקין (נדרשת גרסה {minimum} ומעלה, מתחת ל־{below})",
    },
    "env.missing": {
        "en": "{component} is not installed, and the lessons need it. Install it in a notebook cell with %pip install \"{requirement}\", then restart the kernel.",
        "he": "{component} לא מותקן, והשיעורים צריכים אותו. התקינו אותו בתא של המחברת עם \u200e%pip install \"{requirement}\"\u200e ואז הפעילו מחדש את הקרנל (Restart Kernel).",
    },
    "env.too_old": {
        "en": "{component} {version} is too old: the lessons need {component} {minimum} or newer. Upgrade it in a notebook cell with %pip install -U \"{requirement}\", then restart the kernel.",
        "he": "הגרסה של {component} ({version}) ישנה מדי: השיעורים צריכים {component} בגרסה {minimum} ומעלה. שדרגו בתא של המחברת עם \u200e%pip install -U \"{requirement}\"\u200e ואז הפעילו מחדש את הקרנל (Restart Kernel).",
    },
    "env.too_new": {
        "en": "{component} {version} is newer than the lessons support (below {below}), and the interactive widgets may break. Install a supported version with %pip install \"{requirement}\", then restart the kernel.",
        "he": "הגרסה של {component} ({version}) חדשה יותר ממה שהשיעורים תומכים בו (מתחת ל־{below}), והווידג'טים האינטראקטיביים עלולים להישבר. התקינו גרסה נתמכת עם \u200e%pip install \"{requirement}\"\u200e ואז הפעילו מחדש את הקרנל (Restart Kernel).",
    },
    "env.python_too_old": {
        "en": "Python {version} is too old: the lessons need Python {minimum} or newer. pip cannot upgrade Python itself: create a new environment with a newer Python, or open the lesson in Google Colab, whose Python is new enough.",
        "he": "Python {version} ישן מדי: השיעורים צריכים Python {minimum} ומעלה. את Python עצמו אי אפשר לשדרג עם pip: צרו סביבה חדשה עם Python חדש יותר, או פתחו את השיעור ב־Google Colab, שבו הגרסה חדשה מספיק.",
    },
    "env.unreadable": {
        "en": "Could not read the version of {component} ({version!r}); the lessons need {minimum} or newer. Reinstall it with %pip install -U \"{requirement}\", then restart the kernel.",
        "he": "לא הצלחתי לקרוא את הגרסה של {component} ({version!r}); השיעורים צריכים גרסה {minimum} ומעלה. התקינו אותו מחדש עם \u200e%pip install -U \"{requirement}\"\u200e ואז הפעילו מחדש את הקרנל (Restart Kernel).",
    },
    "env.device_gpu": {
        "en": "device: a CUDA GPU is available. Nice, but not needed: this small network trains in seconds on the CPU.",
        "he": "device: יש GPU עם CUDA. נחמד, אבל לא נחוץ: הרשת הקטנה הזו מתאמנת תוך שניות גם על ה־CPU.",
    },
    "env.device_cpu": {
        "en": "device: CPU only (no CUDA GPU). That is all these lessons need.",
        "he": "device: רק CPU (אין GPU עם CUDA). זה כל מה שהשיעורים האלה צריכים.",
    },
    "env.all_ok": {
        "en": "Everything is ready: on to lesson 01!",
        "he": "הכול מוכן: אפשר לעבור לשיעור 01!",
    },
    "env.problems": {
        "en": "Problems found: {count}. Fix them as explained above, restart the kernel and run this cell again.",
        "he": "נמצאו בעיות: {count}. תקנו אותן כמו שמוסבר למעלה, הפעילו מחדש את הקרנל והריצו שוב את התא הזה.",
    },
    # ---- capstone (lessonlib/capstone.py: lesson 08's last exercise, the student's own loop) ------------
    "capstone.expect": {
        "en": "a function train(model, optimizer, loss_fn, loader, epochs)",
        "he": "פונקציה train(model, optimizer, loss_fn, loader, epochs)",
    },
    "capstone.wrong": {
        "en": "Not yet: got the function {name} and ran it on a fresh network: {diagnosis}",
        "he": "עוד לא: קיבלתי את הפונקציה {name} והרצתי אותה על רשת חדשה: {diagnosis}",
    },
    "capstone.none": {
        "en": "Got None; expected {expected}: the function itself (answer = train), not what calling it returns (a function without return gives None).",
        "he": "קיבלתי None; ציפיתי ל{expected}: את הפונקציה עצמה (answer = train), ולא את מה שהיא מחזירה כשקוראים לה (פונקציה בלי return מחזירה None).",
    },
    "capstone.signature": {
        "en": "Got {got}: it cannot be called with the five arguments the checker passes ({problem}); expected {expected}.",
        "he": "קיבלתי {got}: אי אפשר לקרוא לה עם חמשת הארגומנטים שהבודק מעביר ({problem}); ציפיתי ל{expected}.",
    },
    "capstone.raised": {
        "en": "it stopped with an error: {error}{where}. Fix it and run the cell again.",
        "he": "היא נעצרה עם שגיאה: {error}{where}. תקנו אותה והריצו שוב את התא.",
    },
    "capstone.raised_line": {"en": ", in the line: {line}", "he": ", בשורה: {line}"},
    "capstone.nothing_ran": {
        "en": "it returned without doing anything: it never went over the loader and never called the network. Is its body still ...? Write the loop there.",
        "he": "היא חזרה בלי לעשות כלום: היא לא עברה על ה־loader ולא קראה לרשת אף פעם. האם הגוף שלה עדיין ...? כתבו שם את הלולאה.",
    },
    "capstone.no_step": {
        "en": "no learning. optimizer.step() never ran, and step() is the only step that changes the weights, so the network is still the untrained one. Your loop ran model(xb) {forward} times, loss_fn {loss} times, zero_grad() {zero_grad} times and backward() {backward} times.",
        "he": "אין למידה. optimizer.step() לא רץ אף פעם, ו־step() הוא הצעד היחיד שמשנה את המשקולות, ולכן הרשת נשארה כמו שהייתה לפני האימון. הלולאה שלכם הריצה את model(xb) {forward} פעמים, את loss_fn {loss} פעמים, את zero_grad() {zero_grad} פעמים ואת backward() {backward} פעמים.",
    },
    "capstone.no_step_moved": {
        "en": "the weights changed, but optimizer.step() never ran: your loop changed them some other way. Use the optimizer that train() receives: step 5 is optimizer.step().",
        "he": "המשקולות השתנו, אבל optimizer.step() לא רץ אף פעם: הלולאה שלכם שינתה אותן בדרך אחרת. השתמשו באופטימייזר ש־train() מקבלת: צעד 5 הוא optimizer.step().",
    },
    "capstone.no_loss_fn": {
        "en": "your loop never called loss_fn, the loss function that train() receives. Compute step 2, the loss, with it.",
        "he": "הלולאה שלכם אף פעם לא קראה ל־loss_fn, פונקציית ההפסד ש־train() מקבלת. חשבו בעזרתה את צעד 2, ההפסד.",
    },
    "capstone.no_backward": {
        "en": "no learning. step() ran {steps} times, but no weight moved: backward() never ran, so step() had no gradients to follow.",
        "he": "אין למידה. step() רץ {steps} פעמים, אבל אף משקל לא זז: backward() לא רץ אף פעם, ולכן לא היו ל־step() גרדיאנטים ללכת לפיהם.",
    },
    "capstone.not_moved": {
        "en": "no learning. step() ran {steps} times, but no weight moved. Does backward() run on the loss that loss_fn returned, before step()?",
        "he": "אין למידה. step() רץ {steps} פעמים, אבל אף משקל לא זז. האם backward() רץ על ההפסד ש־loss_fn החזירה, לפני step()?",
    },
    "capstone.no_zero_grad": {
        "en": "zero_grad() never ran, so the gradients accumulate: each of the {backward} backward passes added its gradient to those of all the batches before it, and step() followed that growing sum instead of the current batch's gradient.",
        "he": "zero_grad() לא רץ אף פעם, ולכן הגרדיאנטים מצטברים: כל אחד מ־{backward} המעברים אחורה הוסיף את הגרדיאנט שלו לגרדיאנטים של כל האצוות שלפניו, ו־step() הלך לפי הסכום ההולך וגדל הזה במקום לפי הגרדיאנט של האצווה הנוכחית.",
    },
    "capstone.few_zero_grad": {
        "en": "zero_grad() ran {zero_grad} times for {steps} calls of step(), so between some steps the gradients were not cleared and accumulated: {stale} backward passes added to gradients left over from an earlier batch.",
        "he": "zero_grad() רץ {zero_grad} פעמים מול {steps} קריאות ל־step(), ולכן בין חלק מהצעדים הגרדיאנטים לא אופסו והצטברו: {stale} מעברים אחורה הוסיפו לגרדיאנטים שנשארו מאצווה קודמת.",
    },
    "capstone.zero_grad_misplaced": {
        "en": "zero_grad() ran, but not between every two backward passes: {stale} of the {backward} backward passes added to gradients left over from an earlier one, so the gradients accumulate.",
        "he": "zero_grad() רץ, אבל לא בין כל שני מעברים אחורה: {stale} מתוך {backward} המעברים אחורה הוסיפו לגרדיאנטים שנשארו ממעבר קודם, ולכן הגרדיאנטים מצטברים.",
    },
    "capstone.wrong_order": {
        "en": "the wrong order. A step() ran with no backward() since {before} (in between ran: {between}), so it had no fresh gradients to follow. One batch of your loop ran: {order}. step() follows the gradients that backward() computes, and zero_grad() clears them.",
        "he": "הסדר לא נכון. step() רץ בלי backward() מאז {before} (בינתיים רצו: {between}), ולכן לא היו לו גרדיאנטים עדכניים ללכת לפיהם. אצווה אחת של הלולאה שלכם הריצה: {order}. step() הולך לפי הגרדיאנטים ש־backward() מחשב, ו־zero_grad() מאפס אותם.",
    },
    "capstone.wrong_order_unmoved": {
        "en": "the wrong order, and no weight moved. Every step() ran with no backward() since {before} (in between ran: {between}), so it found no gradients to follow. One batch of your loop ran: {order}. step() follows the gradients that backward() computes, and zero_grad() clears them.",
        "he": "הסדר לא נכון, ואף משקל לא זז. כל step() רץ בלי backward() מאז {before} (בינתיים רצו: {between}), ולכן לא מצא גרדיאנטים ללכת לפיהם. אצווה אחת של הלולאה שלכם הריצה: {order}. step() הולך לפי הגרדיאנטים ש־backward() מחשב, ו־zero_grad() מאפס אותם.",
    },
    "capstone.after_zero_grad": {"en": "the last zero_grad()", "he": "ה־zero_grad() האחרון"},
    "capstone.from_start": {"en": "the start of train()", "he": "תחילת train()"},
    "capstone.nothing": {"en": "nothing", "he": "כלום"},
    "capstone.diverged": {
        "en": "training diverged in epoch {epoch}: the loss was {loss:.3g}, {ratio:.3g} times the untrained network's training loss {reference:.4g} (divergence: a loss that is inf/NaN or more than {factor:g} times that). {extra}",
        "he": "האימון התבדר באפוק {epoch}: ההפסד היה {loss:.3g}, פי {ratio:.3g} מהפסד האימון של הרשת שלא אומנה, {reference:.4g} (התבדרות: הפסד שהוא inf/NaN או גדול פי יותר מ־{factor:g} מזה). {extra}",
    },
    "capstone.diverged_nonfinite": {
        "en": "training diverged in epoch {epoch}: the loss became {loss} (not a finite number). {extra}",
        "he": "האימון התבדר באפוק {epoch}: ההפסד הפך ל־{loss} (לא מספר סופי). {extra}",
    },
    "capstone.diverged_end": {
        "en": "training diverged: after your loop the loss on the training set is {loss:.3g}, inf/NaN or more than {factor:g} times the untrained network's {reference:.4g}. {extra}",
        "he": "האימון התבדר: אחרי הלולאה שלכם ההפסד על סט האימון הוא {loss:.3g}, inf/NaN או יותר מפי {factor:g} מההפסד של הרשת שלא אומנה, {reference:.4g}. {extra}",
    },
    "capstone.steps_per_batch": {
        "en": "Your loop called step() {per_batch:.3g} times per batch: every step of Adam moves each weight by about the learning rate, so many steps on one batch's gradient go much too far.",
        "he": "הלולאה שלכם קראה ל־step() {per_batch:.3g} פעמים בכל אצווה: כל צעד של Adam מזיז כל משקל בערך בגודל קצב הלמידה, ולכן הרבה צעדים לפי הגרדיאנט של אצווה אחת מגיעים רחוק מדי.",
    },
    "capstone.diverged_hint": {
        "en": "A correct step goes a small way downhill: look for what makes your steps bigger, repeats them, or points them uphill.",
        "he": "צעד נכון יורד מעט במורד: חפשו מה בלולאה שלכם מגדיל את הצעדים, חוזר עליהם או מפנה אותם כלפי מעלה.",
    },
    "capstone.runaway": {
        "en": "the checker stopped your loop: it ran model(xb) {forward} times and step() {steps} times for {batches} batches, more than {factor} times what {expected} batches (epochs x batches per epoch) need. Does a loop in it run forever, or far too many times?",
        "he": "הבודק עצר את הלולאה שלכם: היא הריצה את model(xb) {forward} פעמים ואת step() {steps} פעמים עבור {batches} אצוות, יותר מפי {factor} ממה ש־{expected} אצוות (אפוקים × אצוות בכל אפוק) צריכות. האם יש בה לולאה שרצה לנצח, או הרבה יותר מדי פעמים?",
    },
    "capstone.step_inside_graph": {
        "en": "the wrong order. PyTorch stopped backward() with a RuntimeError (a variable it needs was modified by an inplace operation): step() ran after the forward pass and before backward(), and changed in place the weights that the loss was computed from, so their gradients could no longer be computed. One batch of your loop ran: {order}.",
        "he": "הסדר לא נכון. PyTorch עצר את backward() עם RuntimeError (משתנה שהוא צריך שונה במקום, inplace): step() רץ אחרי המעבר קדימה ולפני backward(), ושינה במקום את המשקולות שההפסד נבנה מהן, ולכן כבר אי אפשר היה לחשב את הגרדיאנטים שלהן. אצווה אחת של הלולאה שלכם הריצה: {order}.",
    },
    "capstone.counts.passes": {
        "en": "the number of passes your loop made over the loader is {passes}, but with epochs = {epochs} there should be one pass per epoch",
        "he": "מספר המעברים של הלולאה שלכם על ה־loader הוא {passes}, אבל עם epochs = {epochs} צריך להיות מעבר אחד בכל אפוק",
    },
    "capstone.counts.batches": {
        "en": "your loop took {batches} batches in its {passes} passes over the loader, but every pass holds {per_pass} batches ({expected} in all): each epoch uses every batch",
        "he": "הלולאה שלכם לקחה {batches} אצוות ב־{passes} המעברים שלה על ה־loader, אבל בכל מעבר יש {per_pass} אצוות ({expected} בסך הכול): כל אפוק משתמש בכל האצוות",
    },
    "capstone.counts.steps": {
        "en": "step() ran {steps} times for {batches} batches, but the loop takes one step per batch",
        "he": "step() רץ {steps} פעמים עבור {batches} אצוות, אבל הלולאה עושה צעד אחד בכל אצווה",
    },
    "capstone.counts.ok": {
        "en": "it went through {epochs} epochs and {batches} batches, as it should, so look at what happens inside one batch",
        "he": "היא עברה {epochs} אפוקים ו־{batches} אצוות, כמו שצריך, אז בדקו מה קורה בתוך אצווה אחת",
    },
    "capstone.not_learned": {
        "en": "the network did not learn y = x**2: its MSE on the held-out points is {after:.4g} (untrained: {before:.4g}), and a correct loop gets below {limit:g}. A clue: {problem}.",
        "he": "הרשת לא למדה את y = x**2: ה־MSE שלה על הנקודות שהרשת לא ראתה באימון הוא {after:.4g} (בלי אימון: {before:.4g}), ולולאה נכונה מגיעה אל מתחת ל־{limit:g}. רמז: {problem}.",
    },
    "capstone.learned_but": {
        "en": "the network learned (MSE {after:.4g} on the held-out points), but this is not the training loop yet: {problem}.",
        "he": "הרשת למדה (MSE של {after:.4g} על הנקודות שהרשת לא ראתה באימון), אבל זו עדיין לא לולאת האימון: {problem}.",
    },
    "capstone.ok": {
        "en": "Your loop trained a fresh network on y = x**2: the MSE on the held-out points went from {before:.4g} before training to {after:.4g} ({epochs} epochs, {steps} steps).",
        "he": "הלולאה שלכם אימנה רשת חדשה על y = x**2: ה־MSE על הנקודות שהרשת לא ראתה באימון ירד מ־{before:.4g} לפני האימון ל־{after:.4g} ({epochs} אפוקים, {steps} צעדים).",
    },
    # ---- lesson 00 ----------------------------------------------------------------------------------
    "l00.changed": {
        "en": "{step}: {n} of {total} parameter tensors changed",
        "he": "{step}: השתנו {n} מתוך {total} טנזורי פרמטרים",
    },
    "ex.00.predict_backward.ok": {
        "en": "none of the {n} parameter tensors changed: backward() only writes gradients into .grad, next to each parameter. Only step() moves the parameters.",
        "he": "אף אחד מ־{n} טנזורי הפרמטרים לא השתנה: backward() רק כותב גרדיאנטים לתוך ‎.grad, שנמצא ליד כל פרמטר. רק step() מזיז את הפרמטרים.",
    },
    "ex.00.predict_backward.counted_grads": {
        "en": "That counts every tensor that backward() touched. It writes into .grad, a separate tensor next to each parameter: do the parameters' own values change?",
        "he": "ספרתם כל טנזור ש־backward() נגע בו. הוא כותב לתוך ‎.grad, טנזור נפרד שנמצא ליד כל פרמטר: האם הערכים של הפרמטרים עצמם משתנים?",
    },
    "ex.00.predict_backward.counted_both": {
        "en": "That counts the parameters and their .grad tensors together. The question is only about the parameters' own values.",
        "he": "ספרתם את הפרמטרים ואת טנזורי ה־‎.grad שלהם יחד. השאלה היא רק על הערכים של הפרמטרים עצמם.",
    },
    "ex.00.updates.ok": {
        "en": "{train} points in batches of {batch}: {batches} batches per epoch (the last has {last} points) x {epochs} epochs = {total} calls to optimizer.step().",
        "he": "{train} נקודות באצוות של {batch}: {batches} אצוות באפוק (באחרונה {last} נקודות) × {epochs} אפוקים = {total} קריאות ל־optimizer.step().",
    },
    "ex.00.updates.floor": {
        "en": "That rounds the number of batches down. The {last} points left over after the full batches still form a batch, and step() runs for it too.",
        "he": "עיגלתם את מספר האצוות כלפי מטה. {last} הנקודות שנשארות אחרי האצוות המלאות הן עדיין אצווה, וגם בשבילה step() רץ.",
    },
    "ex.00.updates.fraction": {
        "en": "That counts a fraction of a batch. A batch either runs or it does not: how many batches does one epoch really have?",
        "he": "ספרתם חלק של אצווה. אצווה רצה או לא רצה: כמה אצוות יש באמת באפוק אחד?",
    },
    "ex.00.updates.epochs_only": {
        "en": "That is one update per epoch. step() runs once per batch, and an epoch has several batches.",
        "he": "זה עדכון אחד לכל אפוק. step() רץ פעם אחת לכל אצווה, ובאפוק יש כמה אצוות.",
    },
    "ex.00.updates.samples": {
        "en": "That is one update per point. step() runs once per batch, not once per sample.",
        "he": "זה עדכון אחד לכל נקודה. step() רץ פעם אחת לכל אצווה, לא פעם אחת לכל דוגמה.",
    },
    # ---- lesson 01 ----------------------------------------------------------------------------------
    "ex.01.from_numpy.ok": {
        "en": "torch.from_numpy shares the array's memory: a change in the array is a change in the tensor.",
        "he": "torch.from_numpy חולקת את הזיכרון של המערך: שינוי במערך הוא שינוי בטנזור.",
    },
    "ex.01.from_numpy.copied": {
        "en": "That would be right if from_numpy copied the numbers into new memory. Does it?",
        "he": "זה היה נכון אילו from_numpy הייתה מעתיקה את המספרים לזיכרון חדש. האם היא מעתיקה?",
    },
    "ex.01.predict_float64.ok": {
        "en": "nn.Linear does not convert types: float64 input and float32 weights raise a RuntimeError.",
        "he": "nn.Linear לא ממיר טיפוסים: קלט float64 ומשקולות float32 מעלים RuntimeError.",
    },
    "ex.01.predict_float64.converted": {
        "en": "That assumes PyTorch quietly converts the input to the weights' type. Does a Linear layer convert anything on its own?",
        "he": "זה מניח ש־PyTorch ממיר את הקלט בשקט לטיפוס של המשקולות. האם שכבת Linear ממירה משהו בעצמה?",
    },
    "ex.01.predict_float64.follows_input": {
        "en": "That assumes the weights follow the input's type. The weights are float32 and stay float32: what happens when the two types meet in one multiplication?",
        "he": "זה מניח שהמשקולות מתאימות את עצמן לטיפוס של הקלט. המשקולות הן float32 ונשארות float32: מה קורה כששני הטיפוסים נפגשים בכפל אחד?",
    },
    "ex.01.batches.ok": {
        "en": "N = {n}: {train} training points, so {batches} batches of up to {batch}, and the last one holds {last}.",
        "he": "N = {n}: {train} נקודות אימון, ולכן {batches} אצוות של עד {batch}, ובאחרונה {last}.",
    },
    "ex.01.batches.floor": {
        "en": "That rounds the number of batches down. The points left over after the full batches are not thrown away: DataLoader deals them as one more, smaller batch.",
        "he": "עיגלתם את מספר האצוות כלפי מטה. הנקודות שנשארות אחרי האצוות המלאות לא נזרקות: DataLoader מחלק אותן כאצווה נוספת, קטנה יותר.",
    },
    "ex.01.batches.last_full": {
        "en": "The number of batches is right, but is the last batch full? Check how many points are left for it.",
        "he": "מספר האצוות נכון, אבל האם האצווה האחרונה מלאה? בדקו כמה נקודות נשארות לה.",
    },
    "ex.01.batches.all_points": {
        "en": "That deals all {n} points into batches. The DataLoader gets only the training set.",
        "he": "חילקתם לאצוות את כל {n} הנקודות. ה־DataLoader מקבל רק את סט האימון.",
    },
    "ex.01.batches.validation": {
        "en": "That deals the validation set. The DataLoader of the training loop gets the training set.",
        "he": "חילקתם לאצוות את סט הוולידציה. ה־DataLoader של לולאת האימון מקבל את סט האימון.",
    },
    # ---- lesson 02 ----------------------------------------------------------------------------------
    "ex.02.params8.ok": {
        "en": "{total} = {counts}: weights and biases of the three Linear layers (ReLU has none).",
        "he": "{total} = {counts}: המשקולות וההטיות של שלוש שכבות ה־Linear (ל־ReLU אין פרמטרים).",
    },
    "ex.02.a1.ok": {
        "en": "a1 = ReLU(x W1^T + b1): {active} of 16 neurons are active (positive) for this x.",
        "he": "a1 = ReLU(x W1^T + b1): עבור ה־x הזה {active} מתוך 16 הנוירונים פעילים (חיוביים).",
    },
    "ex.02.predict_batch_shape.ok": {
        "en": "{shape}: one prediction per row of the batch, each in its own row, one column.",
        "he": "{shape}: חיזוי אחד לכל שורה של האצווה, כל אחד בשורה משלו, בעמודה אחת.",
    },
    "ex.02.predict_batch_shape.no_column": {
        "en": "One number per sample is right, but a Linear layer keeps the feature axis: what does nn.Linear(16, 1) return for each row?",
        "he": "מספר אחד לכל דוגמה זה נכון, אבל שכבת Linear שומרת את ציר התכונות: מה nn.Linear(16, 1) מחזירה לכל שורה?",
    },
    "ex.02.predict_batch_shape.one_prediction": {
        "en": "That is one prediction for the whole batch. The forward pass does not average the batch: every row goes through the network on its own.",
        "he": "זה חיזוי אחד לכל האצווה. המעבר קדימה לא ממצע את האצווה: כל שורה עוברת ברשת בנפרד.",
    },
    "ex.02.predict_batch_shape.hidden": {
        "en": "That is the shape inside the network, after the hidden layers. What does the last layer, nn.Linear(16, 1), make of it?",
        "he": "זו הצורה בתוך הרשת, אחרי השכבות הנסתרות. מה השכבה האחרונה, nn.Linear(16, 1), עושה ממנה?",
    },
    "ex.02.predict_batch_shape.transposed": {
        "en": "The right sizes in the wrong order: in PyTorch the samples are the rows, the first axis.",
        "he": "הגדלים הנכונים בסדר הלא נכון: ב־PyTorch הדוגמאות הן השורות, הציר הראשון.",
    },
    "ex.02.params8.no_biases": {
        "en": "That counts the weights only. Every neuron of a Linear layer also has a bias.",
        "he": "ספרתם רק את המשקולות. לכל נוירון של שכבת Linear יש גם הטיה.",
    },
    "ex.02.params8.one_hidden": {
        "en": "That is a network with one hidden layer. This one has two hidden layers of 8, so three Linear layers.",
        "he": "זו רשת עם שכבה נסתרת אחת. לרשת הזו יש שתי שכבות נסתרות של 8, כלומר שלוש שכבות Linear.",
    },
    "ex.02.params8.sixteen": {
        "en": "That is the lesson's network, with 16 neurons per hidden layer. The question is about 8.",
        "he": "זו הרשת של השיעור, עם 16 נוירונים בכל שכבה נסתרת. השאלה היא על 8.",
    },
    "ex.02.a1.no_relu": {
        "en": "Some of these values are negative, and a ReLU never outputs a negative number: this is z1, before the ReLU.",
        "he": "חלק מהערכים האלה שליליים, ו־ReLU אף פעם לא מוציא מספר שלילי: זה z1, לפני ה־ReLU.",
    },
    "ex.02.a1.no_bias": {
        "en": "That is ReLU(x W1^T) without the bias: every neuron also adds its own b1 before the ReLU.",
        "he": "זה ReLU(x W1^T) בלי ההטיה: כל נוירון מוסיף גם את ה־b1 שלו לפני ה־ReLU.",
    },
    "ex.02.a1.wrong_x": {
        "en": "That is layer 1's output for the opposite input. Check the sign of x: the exercise uses x = {x:g}.",
        "he": "זה הפלט של שכבה 1 עבור הקלט ההפוך. בדקו את הסימן של x: התרגיל משתמש ב־x = {x:g}.",
    },
    # ---- lesson 03 ----------------------------------------------------------------------------------
    "plot.03.untrained": {"en": "untrained network: MSE = {mse:.4f}", "he": "רשת לא מאומנת: MSE = {mse:.4f}"},
    "plot.03.trained": {"en": "after {epochs} epochs: MSE = {mse:.4f}", "he": "אחרי {epochs} אפוקים: MSE = {mse:.4f}"},
    "plot.03.errors": {"en": "errors (y_hat - y)", "he": "שגיאות (y_hat - y)"},
    "ex.03.mse_by_hand.ok": {
        "en": "(4 + 0 + 1) / 3 = {value}: the mean of the squared errors.",
        "he": "(4 + 0 + 1) / 3 = {value}: הממוצע של ריבועי השגיאות.",
    },
    "ex.03.line_w2_b0.ok": {
        "en": "The line 2x is below the truth by exactly 1 at every point, so every squared error is 1, and so is their mean.",
        "he": "הישר 2x נמוך מהאמת בדיוק ב־1 בכל נקודה, ולכן כל שגיאה בריבוע היא 1, וגם הממוצע שלהן.",
    },
    "ex.03.argmin.ok": {
        "en": "w = {w}, b = {b}: the very line the new data came from, where the MSE is 0.",
        "he": "w = {w}, b = {b}: בדיוק הישר שממנו נוצרו הנתונים החדשים, ושם ה־MSE הוא 0.",
    },
    "ex.03.predict_toy.ok": {
        "en": "MSE = {value}: the errors +2 and -2 cancel in their mean, but not once they are squared.",
        "he": "MSE = {value}: השגיאות ‎+2 ו־‎-2 מבטלות זו את זו בממוצע, אבל לא אחרי שמעלים אותן בריבוע.",
    },
    "ex.03.mse.sum": {
        "en": "That is the sum of the squared errors. MSE is their mean: one more operation over the {n} samples.",
        "he": "זה הסכום של ריבועי השגיאות. MSE הוא הממוצע שלהם: עוד פעולה אחת על {n} הדוגמאות.",
    },
    "ex.03.mse.not_squared": {
        "en": "That is the mean of the errors themselves, before squaring. MSE squares each error first, so a negative error cannot cancel a positive one and no error counts as negative.",
        "he": "זה הממוצע של השגיאות עצמן, לפני העלאה בריבוע. ב־MSE מעלים כל שגיאה בריבוע קודם, כך ששגיאה שלילית לא מבטלת שגיאה חיובית ואף שגיאה לא נספרת כשלילית.",
    },
    "ex.03.mse.absolute": {
        "en": "That is the mean of the absolute errors. MSE squares each error instead.",
        "he": "זה הממוצע של הערכים המוחלטים של השגיאות. ב־MSE מעלים כל שגיאה בריבוע.",
    },
    "ex.03.mse.root": {
        "en": "That is the square root of the MSE (RMSE). MSE itself stops one step earlier.",
        "he": "זה השורש של ה־MSE (RMSE). ה־MSE עצמו נעצר צעד אחד קודם.",
    },
    "ex.03.argmin.swapped": {
        "en": "The right two numbers in the wrong order: the answer is [w, b], the slope first.",
        "he": "שני המספרים הנכונים בסדר הלא נכון: התשובה היא [w, b], קודם השיפוע.",
    },
    "ex.03.argmin.old_data": {
        "en": "That is the bottom of the lesson's own landscape, for y = 2x + 1. The exercise's landscape is built from y_new.",
        "he": "זו התחתית של נוף ההפסד של השיעור עצמו, עבור y = 2x + 1. הנוף של התרגיל בנוי מ־y_new.",
    },
    # ---- lesson 04 ----------------------------------------------------------------------------------
    "ex.04.three_backwards.ok": {
        "en": "Three backward() calls without zero_grad() add up three equal gradients: {ratio} times one call.",
        "he": "שלוש קריאות ל־backward() בלי zero_grad() מחברות שלושה גרדיאנטים זהים: פי {ratio} מקריאה אחת.",
    },
    "ex.04.micro_scale.ok": {
        "en": "{parts} micro-batches of {micro}: each loss times {micro}/{full} = {scale}, so the accumulated gradient is the mean over all {full} samples.",
        "he": "{parts} מיקרו־אצוות של {micro}: כל הפסד כפול {micro}/{full} = {scale}, וכך הגרדיאנט המצטבר הוא הממוצע על כל {full} הדוגמאות.",
    },
    "ex.04.three_backwards.overwrites": {
        "en": "That is what you would get if backward() overwrote .grad. Look again at the two calls above: what did the second one do to the first one's gradient?",
        "he": "זה מה שהיה יוצא אילו backward() היה דורס את ‎.grad. הסתכלו שוב על שתי הקריאות למעלה: מה השנייה עשתה לגרדיאנט של הראשונה?",
    },
    "ex.04.three_backwards.extra_calls": {
        "en": "That counts the calls after the first one. The first call's gradient is in .grad too.",
        "he": "ספרתם את הקריאות שאחרי הראשונה. גם הגרדיאנט של הקריאה הראשונה נמצא ב־‎.grad.",
    },
    "ex.04.three_backwards.doubles": {
        "en": "That assumes every call doubles .grad. Each call adds one more copy of the same gradient: it adds, it does not multiply.",
        "he": "זה מניח שכל קריאה מכפילה את ‎.grad. כל קריאה מוסיפה עוד עותק אחד של אותו גרדיאנט: היא מחברת, לא כופלת.",
    },
    "ex.04.predict_extra_step.ok": {
        "en": "After zero_grad() every .grad is None and Adam skips those parameters. A .grad of zeros is still a gradient: Adam's running average of earlier gradients moves the weights.",
        "he": "אחרי zero_grad() כל ‎.grad הוא None ו־Adam מדלג על הפרמטרים האלה. ‎.grad של אפסים הוא עדיין גרדיאנט: הממוצע הנע של Adam על הגרדיאנטים הקודמים מזיז את המשקולות.",
    },
    "ex.04.predict_extra_step.none_moves": {
        "en": "After the plain zero_grad() every .grad is None. What does an optimizer do with a parameter that has no gradient at all?",
        "he": "אחרי zero_grad() רגיל כל ‎.grad הוא None. מה אופטימייזר עושה עם פרמטר שאין לו גרדיאנט בכלל?",
    },
    "ex.04.predict_extra_step.zeros_move": {
        "en": "A gradient of zeros says \"the slope is zero now\", but Adam remembers earlier gradients (its running averages). Does it take that memory into the step?",
        "he": "גרדיאנט של אפסים אומר \"השיפוע עכשיו אפס\", אבל Adam זוכר גרדיאנטים קודמים (הממוצעים הנעים שלו). האם הזיכרון הזה נכנס לצעד?",
    },
    "ex.04.predict_extra_step.reversed": {
        "en": "The two cases are swapped. Which one leaves the optimizer something to work with: None or a tensor of zeros?",
        "he": "שני המקרים הפוכים. באיזה מהם נשאר לאופטימייזר משהו לעבוד איתו: None או טנזור של אפסים?",
    },
    "ex.04.micro_scale.inverse": {
        "en": "That is the inverse of the right factor: it makes the accumulated gradient bigger, not equal to the full batch's.",
        "he": "זה ההופכי של המקדם הנכון: הוא מגדיל את הגרדיאנט המצטבר במקום להשוות אותו לזה של האצווה המלאה.",
    },
    "ex.04.micro_scale.unscaled": {
        "en": "Without scaling, the {parts} micro-batch gradients add up to {parts} times the mean. What must each one be multiplied by?",
        "he": "בלי הכפלה, הגרדיאנטים של {parts} המיקרו־אצוות מצטברים לסכום שגדול פי {parts} מהממוצע. בכמה צריך להכפיל כל אחד מהם?",
    },
    "ex.04.micro_scale.per_sample": {
        "en": "MSE already takes the mean inside each micro-batch of {micro}. The factor only has to average over the micro-batches.",
        "he": "ה־MSE כבר מחשב ממוצע בתוך כל מיקרו־אצווה של {micro}. המקדם צריך רק למצע על פני המיקרו־אצוות.",
    },
    # ---- lesson 05 ----------------------------------------------------------------------------------
    "plot.05.title": {"en": "The gradient is the slope of the loss", "he": "הגרדיאנט הוא השיפוע של ההפסד"},
    "plot.05.loss": {"en": "loss as {name} changes", "he": "ההפסד כשמשנים את {name}"},
    "plot.05.tangent": {"en": "tangent: slope = gradient", "he": "משיק: השיפוע הוא הגרדיאנט"},
    "plot.05.current": {"en": "current weight", "he": "המשקל הנוכחי"},
    "plot.05.weight": {"en": "value of {name}", "he": "הערך של {name}"},
    "ex.05.d_y_hat.ok": {
        "en": "dL/dy_hat = 2 * (y_hat - y) = 2 * ({y_hat} - {y}) = {value} (a batch of one sample: N = 1).",
        "he": "dL/dy_hat = 2 * (y_hat - y) = 2 * ({y_hat} - {y}) = {value} (אצווה של דוגמה אחת: N = 1).",
    },
    "ex.05.nudge.ok": {
        "en": "Gradient × nudge = {grad} × 0.01 = {value}: the gradient of b3 is positive, so increasing b3 increases the loss.",
        "he": "הגרדיאנט כפול ההזזה: {grad} × 0.01 = {value}. הגרדיאנט של b3 חיובי, ולכן הגדלה של b3 מגדילה את ההפסד.",
    },
    "ex.05.relu_mask.ok": {
        "en": "1 where z > 0 and 0 where z <= 0 (also at z = 0: PyTorch takes the derivative of ReLU at 0 to be 0).",
        "he": "1 כאשר z > 0 ו־0 כאשר z <= 0 (גם כש־z = 0: ב־PyTorch הנגזרת של ReLU באפס היא 0).",
    },
    "ex.05.predict_sign.ok": {
        "en": "y_hat = {y_hat} is above y = {y}, so dL/dy_hat = 2 (y_hat - y) > 0, and dL/db3 = dL/dy_hat * 1 = {grad}. Raising b3 would make the loss bigger, so step() will lower it.",
        "he": "y_hat = {y_hat} גבוה מ־y = {y}, ולכן dL/dy_hat = 2 (y_hat - y) > 0, ו־dL/db3 = dL/dy_hat * 1 = {grad}. הגדלה של b3 הייתה מגדילה את ההפסד, ולכן step() יקטין אותו.",
    },
    "ex.05.predict_sign.if_above": {
        "en": "A positive gradient would mean raising b3 makes the loss bigger, which happens when the prediction is already above the target. Compare y_hat and y for our sample.",
        "he": "גרדיאנט חיובי היה אומר שהגדלה של b3 מגדילה את ההפסד, וזה קורה כשהחיזוי כבר מעל היעד. השוו את y_hat ואת y של הדוגמה שלנו.",
    },
    "ex.05.predict_sign.if_below": {
        "en": "A negative gradient would mean raising b3 lowers the loss, which happens when the prediction is below the target. Compare y_hat and y for our sample.",
        "he": "גרדיאנט שלילי היה אומר שהגדלה של b3 מקטינה את ההפסד, וזה קורה כשהחיזוי מתחת ליעד. השוו את y_hat ואת y של הדוגמה שלנו.",
    },
    "ex.05.predict_sign.if_zero": {
        "en": "b3 is added to the output directly, with no ReLU after it, so its gradient is zero only when y_hat equals y exactly. Does it here?",
        "he": "b3 מתווסף ישירות לפלט, בלי ReLU אחריו, ולכן הגרדיאנט שלו אפס רק כש־y_hat שווה בדיוק ל־y. האם זה המצב כאן?",
    },
    "ex.05.relu_mask.at_zero": {
        "en": "Right everywhere except at z = 0. ReLU has no slope there, and PyTorch uses 0: the mask is 1 only where z > 0.",
        "he": "נכון בכל מקום חוץ מ־z = 0. ל־ReLU אין שם שיפוע, ו־PyTorch משתמש ב־0: המסכה היא 1 רק כאשר z > 0.",
    },
    "ex.05.relu_mask.values": {
        "en": "Those are the values ReLU(z), not its derivative. The derivative says how much the output moves per unit of z: 1 or 0.",
        "he": "אלה הערכים ReLU(z), לא הנגזרת שלו. הנגזרת אומרת בכמה הפלט זז לכל יחידה של z: 1 או 0.",
    },
    "ex.05.relu_mask.flipped": {
        "en": "The mask is flipped: 1 where ReLU blocks and 0 where it passes. Which entries does ReLU pass through unchanged?",
        "he": "המסכה הפוכה: 1 איפה ש־ReLU חוסם ו־0 איפה שהוא מעביר. אילו איברים ReLU מעביר בלי שינוי?",
    },
    "ex.05.d_y_hat.no_two": {
        "en": "That is y_hat - y, without the factor 2 that the derivative of the square brings down.",
        "he": "זה y_hat - y, בלי המקדם 2 שיורד מהנגזרת של הריבוע.",
    },
    "ex.05.d_y_hat.sign": {
        "en": "The sign is flipped: the derivative is with respect to y_hat, so the inner derivative of (y_hat - y) is +1.",
        "he": "הסימן הפוך: הנגזרת היא לפי y_hat, ולכן הנגזרת הפנימית של (y_hat - y) היא ‎+1.",
    },
    "ex.05.d_y_hat.loss": {
        "en": "That is the loss itself, (y_hat - y)^2. The exercise asks for its derivative with respect to y_hat.",
        "he": "זה ההפסד עצמו, ‎(y_hat - y)^2. התרגיל מבקש את הנגזרת שלו לפי y_hat.",
    },
    "ex.05.nudge.sign": {
        "en": "The sign is flipped. With a positive gradient, does increasing b3 raise the loss or lower it?",
        "he": "הסימן הפוך. כשהגרדיאנט חיובי, האם הגדלה של b3 מעלה את ההפסד או מורידה אותו?",
    },
    "ex.05.nudge.no_nudge": {
        "en": "That is the gradient itself: the change per unit of b3. The nudge is {nudge:g}, not 1.",
        "he": "זה הגרדיאנט עצמו: השינוי לכל יחידה של b3. ההזזה היא {nudge:g}, לא 1.",
    },
    "ex.05.hidden_grads.expect": {
        "en": 'a dict with three arrays under the keys "delta2", "W2", "W1": delta2 = dL/dz2 (16, 1), dL/dW2 (16, 16), dL/dW1 (16, 1)',
        "he": 'מילון עם שלושה מערכים תחת המפתחות "delta2", "W2", "W1": את delta2 = dL/dz2 בצורה (16, 1), את dL/dW2 בצורה (16, 16) ואת dL/dW1 בצורה (16, 1)',
    },
    "ex.05.hidden_grads.ok": {
        "en": "delta2, dL/dW2 and dL/dW1 equal autograd's on the same weights and sample (float64). Each weight's gradient is a product of chain-rule factors, and W2.T @ delta2 adds up the 16 paths into layer 1.",
        "he": "הערכים של delta2, של dL/dW2 ושל dL/dW1 שווים לאלה של autograd על אותן משקולות ואותה דוגמה (float64). הגרדיאנט של כל משקל הוא מכפלה של גורמים מכלל השרשרת, ו־W2.T @ delta2 מחבר את 16 המסלולים שמגיעים לשכבה 1.",
    },
    "ex.05.hidden_grads.bad_format": {
        "en": "Got {got} of type {type}; expected {expected}.",
        "he": "קיבלתי {got} מסוג {type}; ציפיתי ל{expected}.",
    },
    "ex.05.hidden_grads.bad_keys": {
        "en": "Got {got}: a dict with the keys {keys}; expected exactly the keys {expected}.",
        "he": "קיבלתי {got}: מילון עם המפתחות {keys}; ציפיתי בדיוק למפתחות {expected}.",
    },
    "ex.05.hidden_grads.bad_part": {
        "en": "In the part {part!r} of the dict: {problem}",
        "he": "בחלק {part!r} של המילון: {problem}",
    },
    "ex.05.hidden_grads.partial": {
        "en": "Not answered yet: {blank}. Replace each ... with your array and run the cell again.{right}",
        "he": "עדיין לא נענה: {blank}. החליפו כל ... במערך שלכם והריצו שוב את התא.{right}",
    },
    "ex.05.hidden_grads.right": {
        "en": " (Right so far: {parts}.)",
        "he": " (נכון עד עכשיו: {parts}.)",
    },
    "ex.05.hidden_grads.part_wrong": {
        "en": "Not yet: the {part} I got is off. {diagnosis}{right}",
        "he": "עוד לא: ה־{part} שקיבלתי לא נכון. {diagnosis}{right}",
    },
    "ex.05.hidden_grads.values_off": {
        "en": "Its shape is right, but its values are not. Go through the chain for {part} factor by factor: which forward step does each factor come from?",
        "he": "הצורה נכונה, אבל הערכים לא. עברו על השרשרת של {part} גורם אחרי גורם: מאיזה שלב של המעבר קדימה בא כל גורם?",
    },
    "ex.05.hidden_grads.no_mask": {
        "en": "ReLU's mask {mask} is missing: a neuron that is off passes no gradient back.",
        "he": "חסרה המסכה של ReLU ({mask}): נוירון כבוי לא מעביר גרדיאנט אחורה.",
    },
    "ex.05.hidden_grads.outer_order": {
        "en": "The outer product is in the wrong order: dL/dW must have the shape of W, one row per neuron of the layer (delta) and one column per input (a or x), so delta comes first and the input transposed second.",
        "he": "המכפלה החיצונית בסדר הפוך: ל־dL/dW צריכה להיות הצורה של W, שורה לכל נוירון של השכבה (delta) ועמודה לכל קלט (a או x), ולכן delta ראשון והקלט, משוחלף, שני.",
    },
    "ex.05.hidden_grads.not_transposed": {
        "en": "Going back through W2 needs W2.T, not W2: (a1)_k reaches the loss through column k of W2, the weights that leave neuron k.",
        "he": "כדי לחזור אחורה דרך W2 צריך את W2.T, לא את W2: הערך (a1)_k מגיע להפסד דרך עמודה k של W2, המשקולות שיוצאות מנוירון k.",
    },
    "ex.05.hidden_grads.no_sum": {
        "en": "The sum over the 16 neurons of layer 2 is missing: (a1)_k feeds all of them, so the loss depends on it along 16 paths, and the chain rule adds them up. A matrix product (W2.T @ delta2) does that sum; an entrywise product or a single neuron's path does not.",
        "he": "חסר הסכום על 16 הנוירונים של שכבה 2: הערך (a1)_k נכנס לכולם, ולכן ההפסד תלוי בו ב־16 מסלולים, וכלל השרשרת מחבר אותם. מכפלת מטריצות (W2.T @ delta2) עושה את הסכום הזה; כפל איבר־איבר או המסלול של נוירון אחד לא עושים אותו.",
    },
    "ex.05.hidden_grads.no_two": {
        "en": "Everything is half of what it should be: delta3 = 2 (y_hat - y), with the 2 that the derivative of the square brings down.",
        "he": "הכול חצי ממה שצריך: delta3 = 2 (y_hat - y), עם ה־2 שיורד מהנגזרת של הריבוע.",
    },
    "ex.05.hidden_grads.sign": {
        "en": "The sign is flipped: delta3 = 2 (y_hat - y), prediction minus target.",
        "he": "הסימן הפוך: delta3 = 2 (y_hat - y), החיזוי פחות היעד.",
    },
    "ex.05.hidden_grads.divided": {
        "en": "Divided by {batch}: the 1/B of a batch mean, but here the sample is alone (B = 1), so there is nothing to divide.",
        "he": "מחולק ב־{batch}: זה ה־1/B של ממוצע על אצווה, אבל כאן הדוגמה לבדה (B = 1), ואין במה לחלק.",
    },
    "ex.05.hidden_grads.batch_sum": {
        "en": "That is computed for the first {batch} training points, summed without 1/B. The exercise asks for the one sample x of the lesson (and a batch's gradient would be the mean, with 1/B).",
        "he": "זה חישוב על {batch} נקודות האימון הראשונות, בסכום בלי 1/B. התרגיל מבקש את הדוגמה האחת x של השיעור (והגרדיאנט של אצווה הוא ממוצע, עם 1/B).",
    },
    "ex.05.hidden_grads.batch_mean": {
        "en": "That is the gradient of the batch of the first {batch} training points. The exercise asks for the one sample x of the lesson.",
        "he": "זה הגרדיאנט של האצווה של {batch} נקודות האימון הראשונות. התרגיל מבקש את הדוגמה האחת x של השיעור.",
    },
    "ex.05.hidden_grads.batch_shape": {
        "en": "It has one entry per sample of a batch of {batch}: the exercise asks for the one sample x of the lesson (cache and params).",
        "he": "יש בו איבר לכל דוגמה באצווה של {batch}: התרגיל מבקש את הדוגמה האחת x של השיעור (cache ו־params).",
    },
    "ex.05.predict_no_relu.ok": {
        "en": "After {epochs} epochs the net without ReLUs fits y = 2x + 1 (validation loss {line:.2g}) but not |x| ({abs:.3g}), while the ReLU net fits |x| ({relu_abs:.2g}).",
        "he": "אחרי {epochs} אפוקים הרשת בלי ReLU מתאימה את y = 2x + 1 (הפסד ולידציה {line:.2g}) אבל לא את |x| (הפסד {abs:.3g}), ואילו הרשת עם ReLU מתאימה את |x| (הפסד {relu_abs:.2g}).",
    },
    "ex.05.predict_no_relu.if_both": {
        "en": "Without ReLUs every layer is z = W a + b, and a linear map of a linear map is linear: the whole net computes one straight line, w x + b. Can a straight line follow |x|?",
        "he": "בלי ReLU כל שכבה היא z = W a + b, והרכבה של העתקות לינאריות היא לינארית: כל הרשת מחשבת קו ישר אחד, w x + b. האם קו ישר יכול ללכת אחרי |x|?",
    },
    "ex.05.predict_no_relu.if_line_only": {
        "en": "Think again about which of the two targets is a straight line, and what the three layers compute once the ReLUs are gone.",
        "he": "חשבו שוב איזו משתי המטרות היא קו ישר, ומה שלוש השכבות מחשבות כשאין ReLU.",
    },
    "ex.05.predict_no_relu.if_abs_only": {
        "en": "|x| has a kink at 0 and y = 2x + 1 is a straight line. Which one can a net that computes one linear map w x + b follow?",
        "he": "ל־|x| יש נקודת שבירה ב־0, ו־y = 2x + 1 הוא קו ישר. אחרי איזו מהן יכולה ללכת רשת שמחשבת העתקה לינארית אחת, w x + b?",
    },
    "ex.05.predict_no_relu.if_neither": {
        "en": "The net without ReLUs still computes a straight line w x + b, with w = W3 W2 W1. Can training make that line 2x + 1?",
        "he": "הרשת בלי ReLU עדיין מחשבת קו ישר w x + b, עם w = W3 W2 W1. האם האימון יכול להפוך את הקו הזה ל־2x + 1?",
    },
    "ex.05.predict_symmetry.ok": {
        "en": "None: all {n} weights of W2 are still one and the same number after {epochs} epochs: the 16 neurons of a layer start equal, get equal gradients, and so stay equal. That is symmetry, and random initialization breaks it.",
        "he": "אף אחת: כל {n} המשקולות של W2 הן עדיין אותו מספר בדיוק אחרי {epochs} אפוקים: 16 הנוירונים של שכבה מתחילים שווים, מקבלים גרדיאנטים שווים, ולכן נשארים שווים. זו סימטריה, ואתחול אקראי שובר אותה.",
    },
    "ex.05.predict_symmetry.all_differ": {
        "en": "For the weights to drift apart, their gradients must differ. Equal neurons see equal inputs and send back equal gradients: where would a difference come from?",
        "he": "כדי שהמשקולות יתרחקו זו מזו, הגרדיאנטים שלהן צריכים להיות שונים. נוירונים שווים רואים קלטים שווים ומחזירים גרדיאנטים שווים: מאיפה יבוא הבדל?",
    },
    "ex.05.predict_symmetry.counted_values": {
        "en": "That counts the different values in W2. The question asks how many of its weights differ from the first one, in the top left corner.",
        "he": "זו ספירה של הערכים השונים ב־W2. השאלה היא כמה מהמשקולות שלו שונות מהראשונה, זו שבפינה השמאלית העליונה.",
    },
    "ex.05.predict_symmetry.per_neuron": {
        "en": "That many would differ if each neuron (each row of W2) had its own number. But the 16 neurons of layer 2 start equal and get equal gradients, and so do the 16 inputs they read from the first hidden layer.",
        "he": "כך היה יוצא אילו לכל נוירון (לכל שורה של W2) היה מספר משלו. אבל 16 הנוירונים של שכבה 2 מתחילים שווים ומקבלים גרדיאנטים שווים, וכך גם 16 הקלטים שהם קוראים מהשכבה הנסתרת הראשונה.",
    },
    # ---- lesson 06 ----------------------------------------------------------------------------------
    "l06.equal_count": {
        "en": "bit-for-bit equal: {equal} of {total} numbers",
        "he": "זהים עד הביט האחרון: {equal} מתוך {total} המספרים",
    },
    "l06.worst_diff": {
        "en": "largest difference: {worst:.4f} eps, relative to the size of the numbers involved",
        "he": "ההפרש הגדול ביותר: {worst:.4f} eps, יחסית לגודל המספרים שבחישוב",
    },
    "l06.signs": {
        "en": "gradient > 0: {pos} numbers, all moved down ({down}); gradient < 0: {neg}, all moved up ({up}); gradient = 0: {zero}, did not move ({still})",
        "he": "גרדיאנט חיובי: {pos} מספרים, כולם ירדו ({down}); גרדיאנט שלילי: {neg}, כולם עלו ({up}); גרדיאנט אפס: {zero}, לא זזו ({still})",
    },
    "l06.lr_row": {
        "en": "lr = {lr:g}: {epochs} epochs, last training loss {loss:.4e}",
        "he": "lr = {lr:g}: {epochs} אפוקים, הפסד האימון האחרון {loss:.4e}",
    },
    "l06.lr.too_small": {"en": "lr = {lr:g} (too small)", "he": "lr = {lr:g} (קטן מדי)"},
    "l06.lr.about_right": {"en": "lr = {lr:g} (about right)", "he": "lr = {lr:g} (מתאים)"},
    "l06.lr.too_big": {"en": "lr = {lr:g} (too big)", "he": "lr = {lr:g} (גדול מדי)"},
    "l06.title.lr": {
        "en": "SGD with three learning rates: training loss",
        "he": "הפסד האימון של SGD בשלושה קצבי למידה",
    },
    "l06.val_table": {
        "en": "Final validation loss after {epochs} epochs, lr = {lr:g}:",
        "he": "הפסד הוולידציה בסוף {epochs} אפוקים, lr = {lr:g}:",
    },
    "l06.col.step": {"en": "step", "he": "צעד"},
    "l06.col.params": {"en": "parameter tensors changed (of {n})", "he": "טנזורי פרמטרים שהשתנו (מתוך {n})"},
    "l06.col.values": {"en": "numbers changed (of {n})", "he": "מספרים שהשתנו (מתוך {n})"},
    "l06.col.grads": {"en": ".grad tensors changed (of {n})", "he": "טנזורי ‎.grad שהשתנו (מתוך {n})"},
    "l06.col.page": {"en": "the course page says", "he": "מה כתוב בדף הקורס"},
    "l06.page.forward": {"en": "No change", "he": "אין שינוי"},
    "l06.page.loss": {"en": "No change", "he": "אין שינוי"},
    "l06.page.zero_grad": {"en": "No change", "he": "אין שינוי"},
    "l06.page.backward": {"en": "No direct change", "he": "אין שינוי ישיר"},
    "l06.page.step": {"en": "Weights and bias are updated", "he": "המשקולות וההטיה מתעדכנות"},
    "ex.06.sgd_update.ok": {
        "en": "w - lr * grad = {w:g} - {lr:g} * ({grad:g}) = {new:g}: a negative gradient moves the weight up.",
        "he": "w - lr * grad = {w:g} - {lr:g} * ({grad:g}) = {new:g}: גרדיאנט שלילי מזיז את המשקל למעלה.",
    },
    "ex.06.largest_lr.ok": {
        "en": "lr = {lr}: validation loss {loss:.4g} after {epochs} epochs, below {below:g}; every larger option diverged or got stuck.",
        "he": "lr = {lr}: הפסד ולידציה {loss:.4g} אחרי {epochs} אפוקים, מתחת ל־{below:g}; כל אפשרות גדולה יותר התבדרה או נתקעה.",
    },
    "ex.06.largest_lr.hint": {
        "en": "Not diverging is not enough. Train once with each option for {epochs} epochs and look at history.diverged and history.final_val_loss (learning means below {below:g}).",
        "he": "לא להתבדר זה לא מספיק. אמנו פעם אחת עם כל אפשרות, {epochs} אפוקים, ובדקו את history.diverged ואת history.final_val_loss (לומד פירושו מתחת ל־{below:g}).",
    },
    "ex.06.largest_lr.was_diverged": {
        "en": "With lr = {lr} training diverged (epoch {epoch}).",
        "he": "עם lr = {lr} האימון התבדר (אפוק {epoch}).",
    },
    "ex.06.largest_lr.was_stuck": {
        "en": "With lr = {lr} training did not diverge, but it did not learn either: validation loss {loss:.4g} (not below {below:g}), and {dead} of the 16 layer-2 ReLUs are dead.",
        "he": "עם lr = {lr} האימון לא התבדר, אבל גם לא למד: הפסד ולידציה {loss:.4g} (לא מתחת ל־{below:g}), ו־{dead} מתוך 16 ה־ReLU בשכבה 2 הם נוירונים מתים.",
    },
    "ex.06.largest_lr.was_smaller": {
        "en": "lr = {lr} learns (validation loss {loss:.4g}), but is it the largest option that does?",
        "he": "lr = {lr} לומד (הפסד ולידציה {loss:.4g}), אבל האם זו האפשרות הגדולה ביותר שלומדת?",
    },
    "ex.06.best_optimizer.ok": {
        "en": "{name}: final validation loss {loss:.4f}, the lowest of the four at lr = {lr:g}. The best optimizer depends on the learning rate.",
        "he": "{name}: הפסד ולידציה סופי {loss:.4f}, הנמוך מבין הארבעה ב־lr = {lr:g}. איזה אופטימייזר הכי טוב תלוי בקצב הלמידה.",
    },
    "ex.06.sgd_update.sign": {
        "en": "The weight moved with its gradient instead of against it. The rule subtracts lr times the gradient.",
        "he": "המשקל זז עם הגרדיאנט שלו במקום נגדו. הכלל מחסר את lr כפול הגרדיאנט.",
    },
    "ex.06.sgd_update.no_lr": {
        "en": "The learning rate is missing: SGD moves the weight by lr times the gradient, not by the gradient itself.",
        "he": "חסר קצב הלמידה: SGD מזיז את המשקל ב־lr כפול הגרדיאנט, לא בגרדיאנט עצמו.",
    },
    "ex.06.sgd_update.change_only": {
        "en": "That is the size of the move, not the new value of the weight: add it to the old w.",
        "he": "זה גודל ההזזה, לא הערך החדש של המשקל: הוסיפו אותה ל־w הישן.",
    },
    "ex.06.predict_adam_step.ok": {
        "en": "w = {new:.4f}: Adam's first step is about lr = {lr:g} against the gradient's sign, whatever the gradient's size (it divides m by the square root of v, and on the first step both come from the same gradient).",
        "he": "w = {new:.4f}: הצעד הראשון של Adam הוא בערך lr = {lr:g} נגד הסימן של הגרדיאנט, בלי קשר לגודל הגרדיאנט (הוא מחלק את m בשורש של v, ובצעד הראשון שניהם באים מאותו גרדיאנט).",
    },
    "ex.06.predict_adam_step.sgd": {
        "en": "That is SGD's step, lr times the gradient. Adam divides by a moving average of the gradient's size: what is left of the gradient after that division, on the first step?",
        "he": "זה הצעד של SGD, קצב הלמידה כפול הגרדיאנט. Adam מחלק בממוצע נע של גודל הגרדיאנט: מה נשאר מהגרדיאנט אחרי החלוקה הזו, בצעד הראשון?",
    },
    "ex.06.predict_adam_step.sign": {
        "en": "The weight moved with its gradient. Adam, like SGD, moves against it.",
        "he": "המשקל זז עם הגרדיאנט שלו. Adam, כמו SGD, זז נגדו.",
    },
    "ex.06.predict_adam_step.no_move": {
        "en": "Adam moves from its very first step: there is a gradient, and its running averages start from it.",
        "he": "Adam זז כבר מהצעד הראשון: יש גרדיאנט, והממוצעים הנעים שלו מתחילים ממנו.",
    },
    "ex.06.best_optimizer.not_lowest": {
        "en": "{name} ended at validation loss {loss:.4g} at lr = {lr:g}. Is that the lowest of the four? Compare all four final_val_loss values.",
        "he": "{name} סיים עם הפסד ולידציה {loss:.4g} ב־lr = {lr:g}. האם זה הנמוך מבין הארבעה? השוו את ארבעת ערכי final_val_loss.",
    },
    "ex.06.predict_normalized.ok": {
        "en": "lr = {lr}: normalized x has mean(x^2) = 1, so lambda_max = 2 and the ceiling 2 / lambda_max is {new:.3g} instead of {raw:.3g} on raw x ({factor:.3g} times higher). Every larger option diverged.",
        "he": "lr = {lr}: ל־x המנורמל mean(x^2) = 1, ולכן lambda_max = 2 והתקרה 2 / lambda_max היא {new:.3g} במקום {raw:.3g} על x הגולמי (גבוהה פי {factor:.3g}). כל אפשרות גדולה יותר התבדרה.",
    },
    "ex.06.predict_normalized.learned": {
        "en": "trains (no divergence, validation loss near 0)",
        "he": "מאמן (בלי התבדרות, הפסד ולידציה קרוב ל־0)",
    },
    "ex.06.predict_normalized.diverged": {
        "en": "diverges (epoch {epoch})",
        "he": "מתבדר (אפוק {epoch})",
    },
    "ex.06.predict_normalized.unchanged": {
        "en": "With lr = {lr} SGD {outcome}, but that was already true on raw x, below lesson 03's ceiling. Normalizing changes x, and the curvature along w is 2 mean(x^2): what is mean(x^2) now?",
        "he": "עם lr = {lr} ה־SGD {outcome}, אבל זה היה נכון כבר על x הגולמי, מתחת לתקרה של שיעור 03. הנרמול משנה את x, והעקמומיות לאורך w היא 2 mean(x^2): כמה זה mean(x^2) עכשיו?",
    },
    "ex.06.predict_normalized.smaller": {
        "en": "With lr = {lr} SGD {outcome}. Is it the largest option that does? Work out the new ceiling 2 / lambda_max.",
        "he": "עם lr = {lr} ה־SGD {outcome}. האם זו האפשרות הגדולה ביותר שמאמנת? חשבו את התקרה החדשה, 2 / lambda_max.",
    },
    "ex.06.predict_normalized.one_over": {
        "en": "With lr = {lr} SGD {outcome}. If you took the reciprocal of lambda_max as the limit: lesson 03's ceiling is 2 / lambda_max, twice that.",
        "he": "עם lr = {lr} ה־SGD {outcome}. אם לקחתם את ההופכי של lambda_max כגבול: התקרה של שיעור 03 היא 2 / lambda_max, פי שניים מזה.",
    },
    "ex.06.predict_normalized.larger": {
        "en": "With lr = {lr} SGD {outcome}. Compare it with the new ceiling 2 / lambda_max, where lambda_max is the larger curvature of the normalized bowl.",
        "he": "עם lr = {lr} ה־SGD {outcome}. השוו אותו לתקרה החדשה, 2 / lambda_max, כש־lambda_max היא העקמומיות הגדולה יותר של הקערה המנורמלת.",
    },
    "ex.06.predict_normalized.no_two": {
        "en": "With lr = {lr} SGD {outcome}. The curvature of the MSE along w is 2 mean(x^2), with the 2 of the square's derivative: lambda_max is twice mean(x^2), not mean(x^2).",
        "he": "עם lr = {lr} ה־SGD {outcome}. העקמומיות של ה־MSE לאורך w היא 2 mean(x^2), עם ה־2 של הנגזרת של הריבוע: lambda_max היא פעמיים mean(x^2), ולא mean(x^2).",
    },
    # ---- lesson 07 ----------------------------------------------------------------------------------
    "l07.title.error": {
        "en": "Prediction error inside and outside the training range",
        "he": "שגיאת החיזוי בתוך טווח האימון ומחוצה לו",
    },
    "l07.error": {"en": "prediction - truth", "he": "החיזוי פחות הערך האמיתי"},
    "l07.train_range": {"en": "training range", "he": "טווח האימון"},
    "ex.07.pct20.ok": {
        "en": "{pct:.4f}% at x = {x:g}: outside the training range the error keeps growing the further x is from the data.",
        "he": "{pct:.4f}% ב־x = {x:g}: מחוץ לטווח האימון השגיאה ממשיכה לגדול ככל ש־x מתרחק מהנתונים.",
    },
    "ex.07.epoch_loss.ok": {
        "en": "{value:.4f}: every batch's loss is weighted by its size, so the epoch loss is the mean over all {points} points.",
        "he": "{value:.4f}: ההפסד של כל אצווה משוקלל לפי הגודל שלה, ולכן הפסד האפוק הוא הממוצע על כל {points} הנקודות.",
    },
    "ex.07.epoch_loss.batch_mean": {
        "en": "That is the mean of the six batch losses, each counted once. The script multiplies each by xb.size(0): the small last batch counts less.",
        "he": "זה הממוצע של ששת הפסדי האצוות, כל אחד נספר פעם אחת. הסקריפט מכפיל כל אחד ב־xb.size(0): האצווה האחרונה, הקטנה, נספרת פחות.",
    },
    "ex.07.epoch_loss.batch_sum": {
        "en": "That is the sum of the batch losses. The script weights each by its size and then divides.",
        "he": "זה הסכום של הפסדי האצוות. הסקריפט משקלל כל אחד לפי הגודל שלו ואז מחלק.",
    },
    "ex.07.epoch_loss.not_divided": {
        "en": "That is running before the last line: the script then divides it by the number of training points (train_size).",
        "he": "זה running לפני השורה האחרונה: אחר כך הסקריפט מחלק אותו במספר נקודות האימון (train_size).",
    },
    "ex.07.epoch_loss.per_batch": {
        "en": "That divides by the number of batches. running sums loss times points, so it must be divided by the number of points.",
        "he": "חילקתם במספר האצוות. running מחבר הפסד כפול מספר הנקודות, ולכן צריך לחלק אותו במספר הנקודות.",
    },
    "ex.07.predict_x12.ok": {
        "en": "At x = {far:g} the % error is about {ratio:.0f} times the one at x = 2: outside the training range no point holds the network in place.",
        "he": "ב־x = {far:g} אחוז השגיאה גדול פי {ratio:.0f} בערך מזה שב־x = 2: מחוץ לטווח האימון אף נקודה לא מחזיקה את הרשת במקום.",
    },
    "ex.07.predict_x12.not_A": {
        "en": "Inside [-10, 10] every training point pulled the network toward the line. What holds it there at x = 12, where there are no training points?",
        "he": "בתוך ‎[-10, 10]‎ כל נקודת אימון משכה את הרשת אל הישר. מה מחזיק אותה שם ב־x = 12, שבו אין נקודות אימון?",
    },
    "ex.07.predict_x12.not_B": {
        "en": "The error at x = 2 is tiny, so even a small error outside the range is many times larger. Think of how far 0.0002% is from an error you would notice.",
        "he": "השגיאה ב־x = 2 זעירה, ולכן אפילו שגיאה קטנה מחוץ לטווח גדולה ממנה פי הרבה. חשבו כמה רחוק 0.0002% משגיאה שהייתם שמים לב אליה.",
    },
    "ex.07.predict_x12.not_C": {
        "en": "Outside the range no training point holds the network in place, but is the error at x = 12 that large compared with x = 2? Look again at both numbers.",
        "he": "מחוץ לטווח אף נקודת אימון לא מחזיקה את הרשת במקום, אבל האם השגיאה ב־x = 12 גדולה עד כדי כך ביחס ל־x = 2? הסתכלו שוב על שני המספרים.",
    },
    "ex.07.pct.no_hundred": {
        "en": "That is the relative error as a fraction. A percentage is that times 100.",
        "he": "זו השגיאה היחסית כשבר. אחוזים הם השבר הזה כפול 100.",
    },
    "ex.07.pct.by_prediction": {
        "en": "That divides by the prediction. The % error divides by the true value.",
        "he": "חילקתם בחיזוי. באחוז השגיאה מחלקים בערך האמיתי.",
    },
    "ex.07.pct.absolute": {
        "en": "That is the absolute error, in units of y. The % error divides it by the true value and multiplies by 100.",
        "he": "זו השגיאה המוחלטת, ביחידות של y. באחוז השגיאה מחלקים אותה בערך האמיתי ומכפילים ב־100.",
    },
    "ex.07.pct.signed": {
        "en": "The sign is wrong: the % error uses the absolute value of the error.",
        "he": "הסימן שגוי: באחוז השגיאה משתמשים בערך המוחלט של השגיאה.",
    },
    # ---- lesson 08 ----------------------------------------------------------------------------------
    "l08.with_zero_grad": {"en": "with zero_grad", "he": "עם zero_grad"},
    "l08.without_zero_grad": {"en": "without zero_grad", "he": "בלי zero_grad"},
    "l08.batch": {"en": "batch (optimizer step)", "he": "אצווה (צעד של האופטימייזר)"},
    "l08.grad_norm": {"en": "size of the output layer's gradient", "he": "גודל הגרדיאנט של שכבת הפלט"},
    "l08.title.grad": {"en": "The gradient that step() follows", "he": "הגרדיאנט ש־step() הולך לפיו"},
    "l08.title.val": {"en": "Validation loss", "he": "הפסד ולידציה"},
    "l08.compare": {
        "en": "after {epochs} epochs: validation loss {with_zg:.4f} with zero_grad(), {without:.4f} without",
        "he": "אחרי {epochs} אפוקים: הפסד ולידציה {with_zg:.4f} עם zero_grad() ו־{without:.4f} בלי",
    },
    "l08.norms": {
        "en": "size of .grad at batch {batch}: {with_zg:.4f} with zero_grad(), {without:.4f} without",
        "he": "גודל ‎.grad באצווה {batch}: {with_zg:.4f} עם zero_grad() ו־{without:.4f} בלי",
    },
    "l08.extrapolation": {
        "en": "slope {slope:.4f}; predicted error at x = 100: {expected:.4f}; observed: {observed:.4f}",
        "he": "שיפוע {slope:.4f}; השגיאה החזויה ב־x = 100: {expected:.4f}; בפועל: {observed:.4f}",
    },
    "ex.08.missing_line.ok": {
        "en": "The optimizer must exist before the first batch and keep its state from batch to batch, so it is created once, before the loop, from model.parameters().",
        "he": "האופטימייזר חייב להתקיים לפני האצווה הראשונה ולשמור את המצב שלו מאצווה לאצווה, ולכן יוצרים אותו פעם אחת, לפני הלולאה, מתוך model.parameters().",
    },
    "ex.08.symptom.ok": {
        "en": "Without optimizer.zero_grad(), every backward() adds its gradient to the ones already in .grad.",
        "he": "בלי optimizer.zero_grad(), כל backward() מוסיף את הגרדיאנט שלו לאלה שכבר נמצאים ב־‎.grad.",
    },
    "ex.08.symptom.hint": {
        "en": "Which of the five steps is the one that empties .grad?",
        "he": "איזה מחמשת הצעדים הוא זה שמרוקן את ‎.grad?",
    },
    "ex.08.diverged.ok": {
        "en": "With lr = {lr:g}, SGD's loss in epoch {epoch} is {loss:.3g}: still a finite number, not inf or NaN, but {ratio:.3g} times the untrained network's training loss, far above the {factor:g}x limit. So training diverged at epoch {epoch}: a bigger learning rate breaks sooner, and waiting for inf/NaN only notices it later.",
        "he": "עם lr = {lr:g}, ההפסד של SGD באפוק {epoch} הוא {loss:.3g}: עדיין מספר סופי ולא inf או NaN, אבל פי {ratio:.3g} מהפסד האימון של הרשת שלא אומנה, הרבה מעל הגבול של פי {factor:g}. לכן האימון התבדר באפוק {epoch}: עם קצב למידה גדול יותר האימון נשבר מוקדם יותר, ומי שמחכה ל־inf/NaN רק מגלה את זה מאוחר יותר.",
    },
    "ex.08.diverged.not_epoch": {
        "en": "Not yet: got {got}, but an epoch is a positive whole number, like history.diverged_at.",
        "he": "עוד לא: קיבלתי {got}, אבל אפוק הוא מספר שלם חיובי, כמו history.diverged_at.",
    },
    "ex.08.diverged.too_late": {
        "en": "Not yet: got {got}, but fit stopped before that epoch. If {got} is where the loss first became inf or NaN, that is too late a sign: by the course's definition a finite loss above {factor:g} times the untrained network's training loss already counts. Compare history.train_loss with {factor:g} * history.reference_loss.",
        "he": "עוד לא: קיבלתי {got}, אבל fit עצר לפני האפוק הזה. אם {got} הוא האפוק שבו ההפסד הפך לראשונה ל־inf או ל־NaN, זה סימן מאוחר מדי: לפי ההגדרה בקורס, גם הפסד סופי שגדול פי יותר מ־{factor:g} מהפסד האימון של הרשת שלא אומנה כבר נחשב. השוו את history.train_loss ל־{factor:g} * history.reference_loss.",
    },
    "ex.08.diverged.too_early": {
        "en": "Not yet: got {got}, but at epoch {got} the training loss was {loss:.4g}, {ratio:.3g} times the untrained network's loss: not above the {factor:g}x limit, so training had not diverged yet.",
        "he": "עוד לא: קיבלתי {got}, אבל באפוק {got} הפסד האימון היה {loss:.4g}, פי {ratio:.3g} מההפסד של הרשת שלא אומנה: לא מעל הגבול של פי {factor:g}, כך שהאימון עוד לא התבדר.",
    },
    "ex.08.missing_line.not_B": {
        "en": "Inside the loop, a new Adam is created for every batch and forgets its running averages each time. Where can it be created once?",
        "he": "בתוך הלולאה נוצר Adam חדש בכל אצווה, והוא שוכח בכל פעם את הממוצעים הנעים שלו. איפה אפשר ליצור אותו פעם אחת?",
    },
    "ex.08.missing_line.not_C": {
        "en": "This optimizer does not know which tensors to update: it was given no parameters.",
        "he": "האופטימייזר הזה לא יודע אילו טנזורים לעדכן: הוא לא קיבל אף פרמטר.",
    },
    "ex.08.missing_line.not_D": {
        "en": "After the loop is too late: the first batch already calls optimizer.zero_grad().",
        "he": "אחרי הלולאה זה מאוחר מדי: כבר האצווה הראשונה קוראת ל־optimizer.zero_grad().",
    },
    "ex.08.print_bug.ok": {
        "en": "{pct:.4g}%: compared with y(2) = 5 the prediction looks absurd, while the real error at x = 12 is {real:.4g}%. A wrong label makes a good network look broken.",
        "he": "{pct:.4g}%: בהשוואה ל־y(2) = 5 החיזוי נראה מופרך, בזמן שהשגיאה האמיתית ב־x = 12 היא {real:.4g}%. תווית שגויה גורמת לרשת טובה להיראות שבורה.",
    },
    "ex.08.print_bug.real_error": {
        "en": "That is the real error at x = 12, against y_true = 25. The reader believes x = 2: which true value do they compare with?",
        "he": "זו השגיאה האמיתית ב־x = 12, מול y_true = 25. הקורא מאמין ש־x = 2: לאיזה ערך אמיתי הוא משווה?",
    },
    "ex.08.symptom.not_forward": {
        "en": "Without a forward pass there would be no prediction, no loss and no gradient at all, not a growing one.",
        "he": "בלי מעבר קדימה לא היו חיזוי, הפסד וגרדיאנט בכלל, ובטח לא גרדיאנט שגדל.",
    },
    "ex.08.symptom.not_loss": {
        "en": "Without a loss there is nothing to call backward() on. The symptom is a .grad that keeps growing: which step should empty it?",
        "he": "בלי הפסד אין על מה לקרוא ל־backward(). הסימפטום הוא ‎.grad שממשיך לגדול: איזה צעד אמור לרוקן אותו?",
    },
    "ex.08.symptom.not_backward": {
        "en": "Without backward() .grad would not grow at all: nothing would be written into it.",
        "he": "בלי backward() ה־‎.grad לא היה גדל בכלל: אף אחד לא היה כותב לתוכו.",
    },
    "ex.08.symptom.not_step": {
        "en": "Without step() the weights would not move, and every batch's gradient would have the same size. Here .grad grows: what keeps piling up in it?",
        "he": "בלי step() המשקולות לא היו זזות, והגרדיאנט של כל אצווה היה באותו גודל. כאן ‎.grad גדל: מה ממשיך להצטבר בו?",
    },
    "ex.08.predict_order.ok": {
        "en": "step() runs right after zero_grad(), when every .grad is None, so Adam skips every parameter, and the gradients that backward() writes afterwards are cleared before the next step(). The validation loss stays {loss:.4f} in every epoch.",
        "he": "step() רץ מיד אחרי zero_grad(), כשכל ‎.grad הוא None, ולכן Adam מדלג על כל הפרמטרים, והגרדיאנטים ש־backward() כותב אחר כך מתאפסים לפני ה־step() הבא. הפסד הוולידציה נשאר {loss:.4f} בכל האפוקים.",
    },
    "ex.08.predict_order.not_A": {
        "en": "The same three calls, in another order. Follow .grad through one batch: what is in it at the moment step() runs?",
        "he": "אותן שלוש קריאות, בסדר אחר. עקבו אחרי ‎.grad לאורך אצווה אחת: מה יש בו ברגע ש־step() רץ?",
    },
    "ex.08.predict_order.not_B": {
        "en": "One batch behind would need last batch's gradients to survive until this batch's step(). What happens to them first?",
        "he": "פיגור של אצווה אחת היה דורש שהגרדיאנטים של האצווה הקודמת ישרדו עד ה־step() של האצווה הזו. מה קורה להם קודם?",
    },
    "ex.08.predict_order.not_C": {
        "en": "Follow .grad through two batches: is there a moment when step() finds a gradient in it?",
        "he": "עקבו אחרי ‎.grad לאורך שתי אצוות: האם יש רגע שבו step() מוצא בו גרדיאנט?",
    },
    "ex.08.predict_order.not_D": {
        "en": "NaN needs huge steps. What size is a step taken without a gradient?",
        "he": "NaN דורש צעדים ענקיים. מה הגודל של צעד שנעשה בלי גרדיאנט?",
    },
    # ---- widgets ----------------------------------------------------------------------------------------
    "widgets.error": {"en": "Something went wrong: {error}", "he": "משהו השתבש: {error}"},
    "widgets.dbg.start": {
        "en": "Click “1. forward pass” to begin, or “Next step” to go through the five steps in order. Each click shows what it changed.",
        "he": "לחצו על „1. מעבר קדימה” כדי להתחיל, או על „הצעד הבא” כדי לעבור על חמשת הצעדים לפי הסדר. כל לחיצה מראה מה היא שינתה.",
    },
    "widgets.dbg.reset_done": {
        "en": "Started over: a fresh network (seed {seed}), no prediction, no loss, no gradients; epoch 1, batch 1.",
        "he": "התחלנו מחדש: רשת חדשה (seed {seed}), בלי חיזוי, בלי הפסד ובלי גרדיאנטים; אפוק 1, אצווה 1.",
    },
    "widgets.dbg.new_batch": {
        "en": "New batch: {size} samples (batch {batch} of {batches}, epoch {epoch}).",
        "he": "אצווה חדשה: {size} דוגמאות (אצווה {batch} מתוך {batches}, אפוק {epoch}).",
    },
    "widgets.dbg.batch_done": {
        "en": "One batch: the steps ran in order on batch {batch} of {batches} (epoch {epoch}, {size} samples).",
        "he": "אצווה אחת: הצעדים רצו לפי הסדר על אצווה {batch} מתוך {batches} (אפוק {epoch}, {size} דוגמאות).",
    },
    "widgets.dbg.skipped_zero_grad": {
        "en": "zero_grad() was skipped (the “Break it: skip zero_grad()” switch is on), so backward() adds to the gradients left from the previous batch.",
        "he": "דילגנו על zero_grad() (המתג „שבירה: דילוג על zero_grad” פועל), ולכן backward() מוסיף לגרדיאנטים שנשארו מהאצווה הקודמת.",
    },
    "widgets.dbg.epoch_done": {
        "en": "Epoch {epoch}: ran {batches} batches, and step() updated the parameters {updates} times. Mean training loss over these batches: {loss:.4f}.",
        "he": "אפוק {epoch}: רצו {batches} אצוות, ו־step() עדכן את הפרמטרים {updates} פעמים. הפסד האימון הממוצע על האצוות האלה: {loss:.4f}.",
    },
    "widgets.dbg.epoch_problems": {"en": "Along the way:", "he": "בדרך קרה גם זה:"},
    "widgets.dbg.not_finite": {
        "en": "Training diverged: a loss is inf or NaN, or above {factor} times the untrained network's training loss ({reference:.4g}). The steps were too large. Turn off “Break it: learning rate x100” and click “Start over”.",
        "he": "האימון התבדר: הפסד הוא inf או NaN, או גדול פי יותר מ־{factor} מהפסד האימון של הרשת הלא מאומנת ({reference:.4g}). הצעדים היו גדולים מדי. כבו את „שבירה: קצב למידה פי 100” ולחצו על „התחלה מחדש”.",
    },
    "widgets.dbg.lr_x100_on": {
        "en": "The learning rate is now {lr:g} (x100): every step() moves the weights 100 times further than before.",
        "he": "קצב הלמידה עכשיו {lr:g} (פי 100): כל step() מזיז את המשקולות רחוק פי 100 מקודם.",
    },
    "widgets.dbg.lr_x100_off": {
        "en": "The learning rate is back to {lr:g}.",
        "he": "קצב הלמידה חזר ל־{lr:g}.",
    },
    "widgets.dbg.skip_on": {
        "en": "From now on “Next step”, “Run one batch” and “Run one epoch” skip zero_grad(): every backward() adds its gradients to the ones already in .grad.",
        "he": "מעכשיו „הצעד הבא”, „הרצת אצווה אחת” ו„הרצת אפוק אחד” מדלגים על zero_grad(): כל backward() מוסיף את הגרדיאנטים שלו למה שכבר נמצא ב־\u200e.grad.",
    },
    "widgets.dbg.skip_off": {
        "en": "zero_grad() is back in the loop: every batch starts from clean gradients.",
        "he": "zero_grad() חזר ללולאה: כל אצווה מתחילה מגרדיאנטים נקיים.",
    },
    "widgets.dbg.button.next": {"en": "Next step", "he": "הצעד הבא"},
    "widgets.dbg.button.next_named": {"en": "Next: {step}", "he": "הבא: {step}"},
    "widgets.dbg.button.batch": {"en": "Run one batch", "he": "הרצת אצווה אחת"},
    "widgets.dbg.button.epoch": {"en": "Run one epoch", "he": "הרצת אפוק אחד"},
    "widgets.dbg.button.reset": {"en": "Start over", "he": "התחלה מחדש"},
    "widgets.dbg.break.skip_zero_grad": {"en": "Break it: skip zero_grad()", "he": "שבירה: דילוג על zero_grad"},
    "widgets.dbg.break.lr_x100": {"en": "Break it: learning rate x100", "he": "שבירה: קצב למידה פי 100"},
    "widgets.dbg.break.skip_zero_grad.tip": {
        "en": "On: the buttons skip zero_grad(), so each backward() adds to the gradients already in .grad",
        "he": "מופעל: הכפתורים מדלגים על zero_grad(), ולכן כל backward() מוסיף לגרדיאנטים שכבר נמצאים ב־.grad",
    },
    "widgets.dbg.break.lr_x100.tip": {
        "en": "On: the learning rate is 100 times larger, so each step() moves the weights 100 times further",
        "he": "מופעל: קצב הלמידה גדול פי 100, ולכן כל step() מזיז את המשקולות רחוק פי 100",
    },
    "widgets.dbg.layer": {"en": "Layer:", "he": "שכבה:"},
    "widgets.dbg.layer_option": {"en": "layer {layer}: {shape}", "he": "שכבה {layer}: {shape}"},
    "widgets.dbg.unknown_layer": {
        "en": "Unknown layer {got!r}: expected one of {expected}.",
        "he": "שכבה לא מוכרת {got!r}: ציפיתי לאחת מ־{expected}.",
    },
    "widgets.dbg.loss_label": {"en": "Loss (MSE):", "he": "הפסד (MSE):"},
    "widgets.dbg.status": {
        "en": "Epoch {epoch}, batch {batch} of {batches} ({size} samples) · learning rate {lr:g} · parameter updates so far: {updates} · next step: {next}",
        "he": "אפוק {epoch}, אצווה {batch} מתוך {batches} ({size} דוגמאות) · קצב למידה {lr:g} · עדכוני פרמטרים עד כה: {updates} · הצעד הבא: {next}",
    },
    "widgets.dbg.table_caption": {
        "en": "Layer {layer}, {shape}: weight of shape {wshape}, bias of shape {bshape}, and their gradients (.grad).",
        "he": "שכבה {layer}, {shape}: משקולות בצורה {wshape}, הטיה בצורה {bshape}, והגרדיאנטים שלהם (\u200e.grad).",
    },
    "widgets.dbg.table_compact": {
        "en": "Compact view: only the first {cols} of the {total} weight columns are shown.",
        "he": "תצוגה מקוצרת: מוצגות רק {cols} העמודות הראשונות מתוך {total} עמודות המשקולות.",
    },
    "widgets.dbg.table_rows": {
        "en": "Only the first {rows} of {total} rows are shown.",
        "he": "מוצגות רק {rows} השורות הראשונות מתוך {total}.",
    },
    "widgets.dbg.table_transposed": {
        "en": "This layer has one output neuron, so its single row of weights is shown as a column (row j is weight[0, j]).",
        "he": "לשכבה הזו יש נוירון פלט אחד, ולכן שורת המשקולות היחידה שלה מוצגת כעמודה (שורה j היא weight[0, j]).",
    },
    "widgets.dbg.table_legend": {
        "en": "Highlighted cells changed in the last click; Δ is the new value minus the old one (for SGD: -lr * grad).",
        "he": "התאים המודגשים השתנו בלחיצה האחרונה; Δ הוא הערך החדש פחות הערך הישן (ב־SGD: -lr * grad).",
    },
    "widgets.dbg.plot_title": {"en": "Parameter updates so far: {updates}", "he": "עדכוני פרמטרים עד כה: {updates}"},
    "widgets.opt.sgd": {"en": "SGD", "he": "SGD"},
    "widgets.opt.momentum": {"en": "SGD + momentum 0.9", "he": "SGD עם מומנטום 0.9"},
    "widgets.opt.rmsprop": {"en": "RMSprop", "he": "RMSprop"},
    "widgets.opt.adam": {"en": "Adam", "he": "Adam"},
    "widgets.opt.lr": {"en": "learning rate", "he": "קצב למידה"},
    "widgets.opt.optimizer": {"en": "optimizer", "he": "אופטימייזר"},
    "widgets.opt.epochs": {"en": "epochs", "he": "אפוקים"},
    "widgets.opt.summary": {
        "en": "{optimizer}, learning rate {lr:.3g}, {epochs} epochs ({steps} steps): final training loss {train:.4g}, validation loss {val:.4g}.",
        "he": "{optimizer}, קצב למידה {lr:.3g}, {epochs} אפוקים ({steps} צעדים): הפסד האימון בסוף {train:.4g}, הפסד ולידציה {val:.4g}.",
    },
    "widgets.opt.source_fit": {
        "en": "The losses and the verdict are fit()'s own (PyTorch, precomputed on the course's computer for every setting of these sliders; on another processor fit() can differ in the last digits, and a chaotic run by more). The fitted line comes from re-training the {steps} steps in NumPy ({seconds:.2f} s), which stays within {rtol:.0%} of fit()'s losses at every epoch.",
        "he": "ההפסדים וההכרעה הם של fit() עצמו (PyTorch, חושבו מראש במחשב של הקורס לכל מצב של המחוונים האלה; במעבד אחר fit() עשוי להיות שונה בספרות האחרונות, ובריצה כאוטית – ביותר מזה). הקו המותאם בא מאימון מחדש של {steps} הצעדים ב־NumPy ({seconds:.2f} שניות), שנשאר בטווח {rtol:.0%} מההפסדים של fit() בכל אפוק.",
    },
    "widgets.opt.source_chaotic": {
        "en": "This run is chaotic: from epoch {epoch} on, the NumPy re-run that draws the fitted line differs from fit() by more than {rtol:.0%} (rounding differences of one part in ten million grew until the runs parted). The losses and the verdict shown are fit()'s; the fitted line is the re-run's (final training loss {replay:.4g}, fit()'s: {fit:.4g}).",
        "he": "הריצה הזו כאוטית: מאפוק {epoch} והלאה, האימון מחדש ב־NumPy שמצייר את הקו המותאם שונה מ־fit() ביותר מ־{rtol:.0%} (הבדלי עיגול של חלק אחד מעשרה מיליון גדלו עד שהריצות נפרדו). ההפסדים וההכרעה המוצגים הם של fit(); הקו המותאם הוא של האימון מחדש (הפסד האימון בסוף {replay:.4g}, של fit(): {fit:.4g}).",
    },
    "widgets.opt.source_replay": {
        "en": "This setting was not precomputed with fit(), so everything shown comes from re-training the {steps} steps in NumPy float32 ({seconds:.2f} s). That matches fit() closely until rounding differences grow; in a chaotic run fit() can end elsewhere.",
        "he": "את המצב הזה לא חישבנו מראש עם fit(), ולכן כל מה שמוצג בא מאימון מחדש של {steps} הצעדים ב־NumPy ב־float32 ({seconds:.2f} שניות). זה קרוב מאוד ל־fit() עד שהבדלי העיגול גדלים; בריצה כאוטית fit() יכול להגיע למקום אחר.",
    },
    "widgets.opt.diverged_hint": {
        "en": "The plots show what was computed up to that epoch. Try a smaller learning rate.",
        "he": "הגרפים מציגים את מה שחישבנו עד האפוק הזה. נסו קצב למידה קטן יותר.",
    },
    "widgets.opt.plot_diverged": {"en": "diverged at epoch {epoch}", "he": "התבדר באפוק {epoch}"},
    "widgets.opt.no_prediction": {"en": "no finite prediction: training diverged", "he": "אין חיזוי סופי: האימון התבדר"},
    "widgets.opt.plot_alt": {
        "en": "Loss history and fit: {optimizer}, learning rate {lr:.3g}",
        "he": "היסטוריית ההפסד וההתאמה: {optimizer}, קצב למידה {lr:.3g}",
    },
    "widgets.land.steps": {"en": "steps", "he": "צעדים"},
    "widgets.land.path": {"en": "gradient descent path", "he": "מסלול הירידה במורד הגרדיאנט"},
    "widgets.land.at_point": {"en": "At the point:", "he": "בנקודה:"},
    "widgets.land.after_steps": {
        "en": "After {steps} steps of gradient descent (learning rate {lr:.3g}):",
        "he": "אחרי {steps} צעדים של ירידה במורד הגרדיאנט (קצב למידה {lr:.3g}):",
    },
    "widgets.land.explain": {
        "en": "Red arrow: the direction of minus the gradient (downhill), drawn at a fixed length. Orange: the gradient descent path, w <- w - lr * dL/dw and b <- b - lr * dL/db.",
        "he": "החץ האדום: הכיוון של מינוס הגרדיאנט (במורד), באורך קבוע. הכתום: המסלול של ירידה במורד הגרדיאנט, w <- w - lr * dL/dw ו־b <- b - lr * dL/db.",
    },
    "widgets.land.diverged": {
        "en": "The path diverges: with learning rate {lr:.3g} every step overshoots the minimum by more than the one before. At step {step} the loss is {loss:.3g}, more than {factor:g} times the starting point's {start:.4g} (the course's definition of divergence), so the path stops there. Try a smaller learning rate.",
        "he": "המסלול מתבדר: בקצב למידה {lr:.3g} כל צעד מחטיא את המינימום יותר מהצעד שלפניו. בצעד {step} ההפסד הוא {loss:.3g}, גדול פי יותר מ־{factor:g} מההפסד בנקודת ההתחלה, {start:.4g} (ההגדרה של התבדרות בקורס), ולכן המסלול נעצר שם. נסו קצב למידה קטן יותר.",
    },
    "widgets.land.overshoot": {
        "en": "Overshoot: the loss rose along the path. At step {step} it went up from {before:.4g} to {after:.4g}: the step jumped across the valley to a higher point on the other side ({rises} of the {steps} steps went uphill; from start to end the loss went from {start:.4g} to {end:.4g}). With learning rate {lr:.3g} the steps are too large for this valley's steep direction; a smaller one goes downhill at every step.",
        "he": "קפיצת יתר: ההפסד עלה לאורך המסלול. בצעד {step} הוא עלה מ־{before:.4g} ל־{after:.4g}: הצעד קפץ מעבר לעמק לנקודה גבוהה יותר בצד השני ({rises} מתוך {steps} הצעדים עלו; מההתחלה ועד הסוף ההפסד השתנה מ־{start:.4g} ל־{end:.4g}). בקצב למידה {lr:.3g} הצעדים גדולים מדי לכיוון התלול של העמק הזה; קצב קטן יותר יורד בכל צעד.",
    },
    "widgets.land.converging": {
        "en": "The loss went down from {start:.4g} to {end:.4g}.",
        "he": "ההפסד ירד מ־{start:.4g} ל־{end:.4g}.",
    },
    "widgets.learned.range": {"en": "x range ±", "he": "טווח x ±"},
    "widgets.learned.col_x": {"en": "x", "he": "x"},
    "widgets.learned.col_pred": {"en": "prediction", "he": "חיזוי"},
    "widgets.learned.col_true": {"en": "true value (2x + 1)", "he": "הערך האמיתי (2x + 1)"},
    "widgets.learned.col_err": {"en": "error", "he": "שגיאה"},
    "widgets.learned.col_pct": {"en": "% error", "he": "שגיאה באחוזים"},
    "widgets.learned.table_title": {
        "en": "Outside the training range [-10, 10] (extrapolation):",
        "he": "מחוץ לטווח האימון [-10, 10] (אקסטרפולציה):",
    },
    "widgets.learned.kinks": {
        "en": "Kinks within ±{r:g}: {n1} of the {total1} first-layer kinks (x = -b1/W1) and {n2} of the {total2} second-layer kinks (where the input of a second-layer neuron crosses zero).",
        "he": "נקודות שבירה (kinks) בטווח ±{r:g}: {n1} מתוך {total1} נקודות השבירה של השכבה הראשונה (x = -b1/W1), ו־{n2} מתוך {total2} נקודות השבירה של השכבה השנייה (היכן שהקלט של נוירון בשכבה השנייה חוצה את האפס).",
    },
    "widgets.learned.slopes": {
        "en": "Past its last kink the network is a straight line: slope {right:.4f} for large x and {left:.4f} for very negative x (the truth: 2).",
        "he": "אחרי נקודת השבירה האחרונה הרשת היא קו ישר: שיפוע {right:.4f} עבור x גדול ו־{left:.4f} עבור x שלילי מאוד (האמת: 2).",
    },
    "widgets.learned.outside": {
        "en": "No training point lies outside [-10, 10]: there the network only continues the straight pieces it ended with (extrapolation), so its error usually grows with the distance.",
        "he": "אין אף נקודת אימון מחוץ ל־[-10, 10]: שם הרשת רק ממשיכה את הקטעים הישרים שבהם היא מסתיימת (אקסטרפולציה), ולכן השגיאה שלה בדרך כלל גדלה ככל שמתרחקים.",
    },
    "widgets.learned.kink1": {"en": "kinks, layer 1", "he": "נקודות שבירה, שכבה 1"},
    "widgets.learned.kink2": {"en": "kinks, layer 2", "he": "נקודות שבירה, שכבה 2"},
    # ---- lesson 09: classification (lessonlib/classify.py, plots.plot_classes/plot_boundary, widgets/boundary.py) ----
    "cls.plot.title.data": {"en": "Two moons: the training and validation points", "he": "שני ירחים: נקודות האימון והוולידציה"},
    "cls.plot.class": {"en": "class {k}", "he": "מחלקה {k}"},
    "cls.plot.x1": {"en": "x1 (first input)", "he": "x1 (הקלט הראשון)"},
    "cls.plot.x2": {"en": "x2 (second input)", "he": "x2 (הקלט השני)"},
    "cls.plot.title.boundary": {"en": "Decision boundary after epoch {epoch}", "he": "גבול ההחלטה אחרי אפוק {epoch}"},
    "cls.plot.title.boundary_end": {"en": "Decision boundary after training", "he": "גבול ההחלטה אחרי האימון"},
    "cls.plot.title.history": {"en": "Training loss and accuracy", "he": "הפסד האימון והדיוק"},
    "cls.plot.train_loss": {"en": "training loss (BCE)", "he": "הפסד האימון (BCE)"},
    "cls.plot.train_acc": {"en": "training accuracy", "he": "דיוק על סט האימון"},
    "cls.plot.logit": {"en": "logit z", "he": "לוגיט z"},
    "cls.plot.prob": {"en": "sigmoid(z): probability of class 1", "he": "sigmoid(z): ההסתברות למחלקה 1"},
    "cls.plot.title.sigmoid": {"en": "The sigmoid turns a logit into a probability", "he": "הסיגמואיד הופך לוגיט להסתברות"},
    "cls.plot.bce": {"en": "BCE: -log sigmoid(z)", "he": "BCE (אנטרופיה צולבת)"},
    "cls.plot.mse": {"en": "MSE: (sigmoid(z) - 1)^2", "he": "MSE על sigmoid(z)"},
    "cls.plot.title.losses": {"en": "Loss of one point of class 1", "he": "ההפסד של נקודה אחת ממחלקה 1"},
    "cls.plot.title.grads": {"en": "Size of the gradient |dL/dz| (log scale)", "he": "גודל הגרדיאנט |dL/dz| (סקאלה לוגריתמית)"},
    "cls.plot.title.three": {"en": "Three classes after training", "he": "שלוש מחלקות אחרי האימון"},
    "cls.compare": {
        "en": "Plain SGD, lr {lr:g}, {epochs} epochs, from a network sure that every point is class 0: training accuracy {bce:.1%} with BCEWithLogitsLoss, {mse:.1%} with MSE on sigmoid(z).",
        "he": "SGD רגיל, lr {lr:g}, {epochs} אפוקים, מרשת שבטוחה שכל נקודה היא ממחלקה 0: דיוק על סט האימון {bce:.1%} עם BCEWithLogitsLoss, ו־{mse:.1%} עם MSE על sigmoid(z).",
    },
    "cls.widget.epoch": {"en": "epoch", "he": "אפוק"},
    "cls.widget.prev": {"en": "◀ Previous epoch", "he": "האפוק הקודם"},
    "cls.widget.next": {"en": "Next epoch ▶", "he": "האפוק הבא"},
    "cls.widget.prev.tip": {"en": "Show the boundary one epoch earlier", "he": "הצגת הגבול באפוק הקודם"},
    "cls.widget.next.tip": {"en": "Show the boundary one epoch later", "he": "הצגת הגבול באפוק הבא"},
    "cls.widget.status": {
        "en": "After epoch {epoch} of {epochs}: training loss {train_loss:.4f}, training accuracy {train_acc:.1f}% ({wrong} of {n} training points on the wrong side of the boundary); validation loss {val_loss:.4f}, validation accuracy {val_acc:.1f}%.",
        "he": "אחרי אפוק {epoch} מתוך {epochs}: הפסד האימון {train_loss:.4f}, דיוק על סט האימון {train_acc:.1f}% ({wrong} מתוך {n} נקודות האימון בצד הלא נכון של הגבול); הפסד הוולידציה {val_loss:.4f}, דיוק על סט הוולידציה {val_acc:.1f}%.",
    },
    "cls.widget.untrained": {
        "en": "Epoch 0 is the untrained network: its logits are small, so almost the whole plane sits near probability 0.5. Click “Next epoch ▶” and watch the black line (sigmoid(z) = 0.5, that is z = 0) bend around the moons.",
        "he": "אפוק 0 הוא הרשת שעוד לא אומנה: הלוגיטים שלה קטנים, ולכן כמעט כל המישור קרוב להסתברות 0.5. לחצו על \"האפוק הבא\" וראו איך הקו השחור (sigmoid(z) = 0.5, כלומר z = 0) מתעקם סביב הירחים.",
    },
    "cls.widget.bad_data": {
        "en": "boundary_explorer(data=...) takes the lesson's points, e.g. make_moons_data(); got a {got}.",
        "he": "boundary_explorer(data=...) מקבלת את הנקודות של השיעור, למשל make_moons_data(); קיבלתי {got}.",
    },
    "cls.widget.bad_run": {
        "en": "boundary_explorer(run) takes what fit_classifier(...) returned; got a {got}.",
        "he": "boundary_explorer(run) מקבלת את מה ש־fit_classifier(...) החזירה; קיבלתי {got}.",
    },
    "cls.widget.bad_epoch": {
        "en": "boundary_explorer(epoch=...) takes a whole number of epochs; got {got}.",
        "he": "boundary_explorer(epoch=...) מקבלת מספר שלם של אפוקים; קיבלתי {got}.",
    },
    "cls.widget.run_data_mismatch": {
        "en": "The output layer of this run's network has {outputs} neuron(s), but the data has {classes} classes: pass the data the run was trained on.",
        "he": "מספר הנוירונים בשכבת הפלט של הרשת בריצה הזו הוא {outputs}, אבל מספר המחלקות בנתונים הוא {classes}: העבירו את הנתונים שעליהם הריצה אומנה.",
    },
    "cls.widget.disagree": {
        "en": "In this epoch the loss went down and the accuracy went down too: the loss rewards confidence on every point, the accuracy only counts which side of the line each point is on.",
        "he": "באפוק הזה ההפסד ירד, וגם הדיוק ירד: ההפסד מתגמל ביטחון בכל נקודה, והדיוק רק סופר באיזה צד של הקו כל נקודה נמצאת.",
    },
    "ex.09.sigmoid.ok": {
        "en": "z = 0 gives exactly 0.5, a negative logit less than 0.5, a positive one more: the sigmoid squeezes any real number into (0, 1).",
        "he": "z = 0 נותן בדיוק 0.5, לוגיט שלילי נותן פחות מ־0.5 וחיובי יותר: הסיגמואיד דוחס כל מספר ממשי לתוך (0, 1).",
    },
    "ex.09.sigmoid.flipped": {
        "en": "These are 1 - sigmoid(z), the probabilities of class 0: the exponent in the formula is e^(-z), with a minus sign.",
        "he": "אלה 1 - sigmoid(z), ההסתברויות של מחלקה 0: בנוסחה המעריך הוא e^(-z), עם סימן מינוס.",
    },
    "ex.09.sigmoid.logit": {
        "en": "These are the logits themselves. A logit can be any real number; the sigmoid turns it into a probability.",
        "he": "אלה הלוגיטים עצמם. לוגיט יכול להיות כל מספר ממשי; הסיגמואיד הופך אותו להסתברות.",
    },
    "ex.09.sigmoid.no_one": {
        "en": "That is 1 / e^(-z), without the 1 + in the denominator: the values are not all between 0 and 1.",
        "he": "זה 1 / e^(-z), בלי ה־1 + במכנה: לא כל הערכים בין 0 ל־1.",
    },
    "ex.09.bce_by_hand.ok": {
        "en": "{value:.4f}, the mean over the three points of -[y log p + (1 - y) log(1 - p)] with p = sigmoid(z); nn.BCEWithLogitsLoss gives the same.",
        "he": "{value:.4f}, הממוצע על שלוש הנקודות של -[y log p + (1 - y) log(1 - p)] עם p = sigmoid(z); גם nn.BCEWithLogitsLoss נותן את זה.",
    },
    "ex.09.bce_by_hand.sum": {
        "en": "That is the sum over the {n} points. BCEWithLogitsLoss, like MSELoss, takes the mean.",
        "he": "זה הסכום על {n} הנקודות. BCEWithLogitsLoss, כמו MSELoss, לוקח ממוצע.",
    },
    "ex.09.bce_by_hand.no_minus": {
        "en": "The sign is missing: log p is negative for p < 1, so the loss is minus it, a positive number.",
        "he": "חסר הסימן: log p שלילי כש־p < 1, ולכן ההפסד הוא מינוס הערך הזה, מספר חיובי.",
    },
    "ex.09.bce_by_hand.swapped": {
        "en": "The labels are swapped: a point with y = 1 pays -log p (p is the probability of class 1), a point with y = 0 pays -log(1 - p).",
        "he": "התוויות הוחלפו: נקודה עם y = 1 משלמת -log p (p היא ההסתברות של מחלקה 1), ונקודה עם y = 0 משלמת -log(1 - p).",
    },
    "ex.09.bce_by_hand.mse": {
        "en": "That is the MSE between sigmoid(z) and y. Binary cross-entropy takes the log of the probability given to the right class.",
        "he": "זה ה־MSE בין sigmoid(z) ל־y. האנטרופיה הצולבת הבינארית לוקחת את ה־log של ההסתברות שניתנה למחלקה הנכונה.",
    },
    "ex.09.bce_by_hand.log10": {
        "en": "That uses the base-10 logarithm. PyTorch's losses use the natural log (np.log, torch.log).",
        "he": "השתמשתם בלוגריתם בבסיס 10. ההפסדים של PyTorch משתמשים בלוגריתם הטבעי (np.log, torch.log).",
    },
    "ex.09.accuracy.ok": {
        "en": "{right} of the {n} points are on the right side (class 1 where z > 0): that fraction is the accuracy.",
        "he": "{right} מתוך {n} הנקודות בצד הנכון (מחלקה 1 כש־z > 0): החלק היחסי הזה הוא הדיוק.",
    },
    "ex.09.accuracy.threshold_half": {
        "en": "That cuts the logits at 0.5. The 0.5 is for the probability sigmoid(z); for the logit the cut is z > 0.",
        "he": "חתכתם את הלוגיטים ב־0.5. ה־0.5 שייך להסתברות sigmoid(z); בלוגיט החיתוך הוא z > 0.",
    },
    "ex.09.accuracy.error_rate": {
        "en": "That is the fraction of points on the wrong side: the error rate, 1 minus the accuracy.",
        "he": "זה החלק היחסי של הנקודות בצד הלא נכון: שיעור השגיאה, 1 פחות הדיוק.",
    },
    "ex.09.accuracy.percent": {
        "en": "That is the accuracy in percent. Give it as a fraction between 0 and 1, as the lesson's accuracy() returns it.",
        "he": "זה הדיוק באחוזים. כתבו אותו כמספר בין 0 ל־1, כמו ש־accuracy() של השיעור מחזירה אותו.",
    },
    "ex.09.accuracy.count": {
        "en": "That is how many points are right. The accuracy divides it by the number of points, {n}.",
        "he": "זה מספר הנקודות הנכונות. הדיוק מחלק אותו במספר הנקודות, {n}.",
    },
    "ex.09.d_logit.ok": {
        "en": "(sigmoid(z) - y) / {n}: each point's sigmoid(z) - y, divided by the batch size because the loss is a mean. Autograd gives the same.",
        "he": "(sigmoid(z) - y) / {n}: לכל נקודה sigmoid(z) - y, מחולק בגודל האצווה כי ההפסד הוא ממוצע. גם autograd נותן את זה.",
    },
    "ex.09.d_logit.no_mean": {
        "en": "That is sigmoid(z) - y for each point, the gradient of one point's own loss. The loss is the mean over the {n} points: each point's share is divided by {n}.",
        "he": "זה sigmoid(z) - y לכל נקודה, הגרדיאנט של ההפסד של הנקודה לבדה. ההפסד הוא ממוצע על {n} הנקודות: החלק של כל נקודה מחולק ב־{n}.",
    },
    "ex.09.d_logit.sign": {
        "en": "The sign is flipped: raising the logit of a point of class 1 lowers its loss, so dL/dz is negative there.",
        "he": "הסימן הפוך: הגדלת הלוגיט של נקודה ממחלקה 1 מקטינה את ההפסד שלה, ולכן dL/dz שלילי שם.",
    },
    "ex.09.d_logit.mse": {
        "en": "That is the gradient of the MSE on sigmoid(z), with its extra factor sigmoid(z)(1 - sigmoid(z)). BCEWithLogitsLoss's log cancels that factor.",
        "he": "זה הגרדיאנט של ה־MSE על sigmoid(z), עם הגורם הנוסף sigmoid(z)(1 - sigmoid(z)). ה־log של BCEWithLogitsLoss מבטל את הגורם הזה.",
    },
    "ex.09.d_logit.no_sigmoid": {
        "en": "That uses z - y: the logit instead of the probability sigmoid(z).",
        "he": "השתמשתם ב־z - y: בלוגיט במקום בהסתברות sigmoid(z).",
    },
    "ex.09.predict_mse_grad.ok": {
        "en": "At z = {z:g}: |dL/dz| is {bce:.4f} with BCE and {mse:.6f} with MSE on sigmoid(z), {ratio:.0f} times smaller. MSE's gradient carries sigmoid(z)(1 - sigmoid(z)), almost 0 where the network is sure, and here it is sure and wrong.",
        "he": "ב־z = {z:g}: |dL/dz| הוא {bce:.4f} עם BCE ו־{mse:.6f} עם MSE על sigmoid(z), קטן פי {ratio:.0f}. בגרדיאנט של MSE יש את הגורם sigmoid(z)(1 - sigmoid(z)), כמעט 0 היכן שהרשת בטוחה, וכאן היא בטוחה וטועה.",
    },
    "ex.09.predict_mse_grad.not_B": {
        "en": "Both losses are large at this point, but the question is their slope. Write out d/dz of (sigmoid(z) - 1)^2 by the chain rule: which factor is tiny at z = -6?",
        "he": "שני ההפסדים גדולים בנקודה הזו, אבל השאלה היא מה השיפוע שלהם. גזרו את (sigmoid(z) - 1)^2 לפי z בעזרת כלל השרשרת: איזה גורם זעיר ב־z = -6?",
    },
    "ex.09.predict_mse_grad.not_C": {
        "en": "MSE's loss here is close to its largest value, 1, but it is flat: sigmoid(z) hardly moves when z changes at z = -6. Which of the two losses still has a slope there?",
        "he": "ההפסד של MSE כאן קרוב לערך הגדול ביותר שלו, 1, אבל הוא שטוח: sigmoid(z) כמעט לא זז כש־z משתנה ב־z = -6. לאיזה משני ההפסדים עדיין יש שם שיפוע?",
    },
    "ex.09.predict_grad_sum.ok": {
        "en": "0: the gradient is softmax(z) - one_hot(y); the {k} softmax probabilities add up to 1, and so does the one-hot vector.",
        "he": "0: הגרדיאנט הוא softmax(z) - one_hot(y); {k} ההסתברויות של softmax מסתכמות ל־1, וכך גם וקטור ה־one-hot.",
    },
    "ex.09.predict_grad_sum.softmax_only": {
        "en": "That is the sum of the softmax probabilities alone. The gradient is softmax(z) minus the one-hot vector of the label.",
        "he": "זה הסכום של ההסתברויות של softmax לבדן. הגרדיאנט הוא softmax(z) פחות וקטור ה־one-hot של התווית.",
    },
    "ex.09.predict_grad_sum.one_hot_only": {
        "en": "That counts only the minus one-hot part. The softmax part adds its own sum to it.",
        "he": "זה סופר רק את החלק של מינוס ה־one-hot. החלק של softmax מוסיף לזה את הסכום שלו.",
    },
    "ex.09.predict_grad_sum.count": {
        "en": "That is the number of logits. Each entry of the gradient is a difference of two probabilities, not a count.",
        "he": "זה מספר הלוגיטים. כל רכיב של הגרדיאנט הוא הפרש של שתי הסתברויות, לא ספירה.",
    },
    # ---- lesson 10: a first convolutional net (data, model, plots, widgets.conv, exercises) ----------------
    "cnn.class.0": {"en": "horizontal", "he": "אופקי"},
    "cnn.class.1": {"en": "vertical", "he": "אנכי"},
    "cnn.class.2": {"en": "diagonal", "he": "אלכסוני"},
    "cnn.title.images": {"en": "Training images, one row per class", "he": "תמונות אימון, שורה לכל מחלקה"},
    "cnn.title.filters": {"en": "The filters of the conv layer", "he": "המסננים של שכבת הקונבולוציה"},
    "cnn.title.filters_start": {"en": "The filters before training (random)", "he": "המסננים לפני האימון (אקראיים)"},
    "cnn.title.filters_trained": {"en": "The filters after training", "he": "המסננים אחרי האימון"},
    "cnn.filter": {"en": "filter {k}", "he": "מסנן {k}"},
    "ex.10.patch.ok": {
        "en": "output[{r}, {c}] = {value:.4f}: the nine products of the window and the filter, summed, plus the bias.",
        "he": "output[{r}, {c}] = {value:.4f}: סכום תשע המכפלות של החלון במסנן, ועוד ההטיה.",
    },
    "ex.10.patch.no_bias": {
        "en": "That is the sum of the nine products without the bias. Every filter of nn.Conv2d also has a bias, added once per output value.",
        "he": "זה סכום תשע המכפלות, בלי ההטיה. לכל מסנן של nn.Conv2d יש גם הטיה, שמתווספת פעם אחת לכל ערך בפלט.",
    },
    "ex.10.patch.no_padding": {
        "en": "That window starts at img[r, c] instead of being centred on it. With padding=1 the output keeps the image's size, and output[r, c] is computed from the 3x3 window around pixel (r, c): take it from the padded image.",
        "he": "החלון הזה מתחיל ב־img[r, c] במקום שיהיה ממורכז סביבו. עם padding=1 הפלט שומר על גודל התמונה, ו־output[r, c] מחושב מחלון 3x3 סביב הפיקסל (r, c): קחו אותו מהתמונה המרופדת.",
    },
    "ex.10.patch.flipped": {
        "en": "That is the filter turned by 180 degrees (a convolution as mathematics defines it). nn.Conv2d does not flip the filter: window[i, j] multiplies filter[i, j].",
        "he": "זה המסנן מסובב ב־180 מעלות (קונבולוציה כפי שהמתמטיקה מגדירה אותה). nn.Conv2d לא הופכת את המסנן: window[i, j] מוכפל ב־filter[i, j].",
    },
    "ex.10.patch.transposed": {
        "en": "That is the filter transposed (rows and columns swapped). window[i, j] multiplies filter[i, j], row with row.",
        "he": "זה המסנן משוחלף (השורות והעמודות התחלפו). window[i, j] מוכפל ב־filter[i, j], שורה מול שורה.",
    },
    "ex.10.out_shape.ok": {
        "en": "{shape}: ({n} + 2 * {p} - {k}) // {s} + 1 = {side} positions per side, and one output channel per filter.",
        "he": "{shape}: ({n} + 2 * {p} - {k}) // {s} + 1 = {side} מקומות בכל צד, וערוץ פלט אחד לכל מסנן.",
    },
    "ex.10.out_shape.no_padding": {
        "en": "That is the shape without padding. padding=1 adds a ring of zeros around the image first: 8 + 2 * 1 = 10 pixels per side before the filter slides.",
        "he": "זו הצורה בלי ריפוד. padding=1 מוסיף קודם טבעת של אפסים סביב התמונה: 8 + 2 * 1 = 10 פיקסלים בכל צד לפני שהמסנן זז.",
    },
    "ex.10.out_shape.no_stride": {
        "en": "That is the shape with stride 1. With stride=2 the filter jumps two pixels at a time, so it visits about half as many positions per side.",
        "he": "זו הצורה עם צעד 1. עם stride=2 המסנן קופץ שני פיקסלים בכל פעם, ולכן הוא מבקר בערך בחצי מהמקומות בכל צד.",
    },
    "ex.10.out_shape.neither": {
        "en": "That ignores both the padding and the stride: it is the shape of a 3x3 filter sliding one pixel at a time over the bare image.",
        "he": "כאן לא התחשבתם לא בריפוד ולא בצעד: זו הצורה של מסנן 3x3 שזז פיקסל אחד בכל פעם על התמונה בלי ריפוד.",
    },
    "ex.10.out_shape.channels": {
        "en": "The sizes per side are right, but the channel axis comes from the layer, not from the input: each of the out_channels filters makes one output channel.",
        "he": "הגדלים בכל צד נכונים, אבל ציר הערוצים בא מהשכבה ולא מהקלט: כל אחד מ־out_channels המסננים יוצר ערוץ פלט אחד.",
    },
    "ex.10.params.ok": {
        "en": "{total} = {conv} + {linear}: the conv layer's filters and biases, and the Linear layer's weights and biases (ReLU, MaxPool2d and Flatten have none).",
        "he": "{total} = {conv} + {linear}: המסננים וההטיות של שכבת הקונבולוציה, והמשקולות וההטיות של שכבת ה־Linear (ל־ReLU, ל־MaxPool2d ול־Flatten אין פרמטרים).",
    },
    "ex.10.params.no_biases": {
        "en": "That counts the weights only. Every filter of the conv layer and every output neuron of the Linear layer also has a bias.",
        "he": "ספרתם רק את המשקולות. לכל מסנן בשכבת הקונבולוציה ולכל נוירון פלט בשכבת ה־Linear יש גם הטיה.",
    },
    "ex.10.params.one_filter": {
        "en": "That counts one 3x3 filter and one bias. The conv layer has {n} filters, each with its own 9 weights and its own bias.",
        "he": "ספרתם מסנן 3x3 אחד והטיה אחת. בשכבת הקונבולוציה יש {n} מסננים, ולכל אחד 9 משקולות משלו והטיה משלו.",
    },
    "ex.10.params.no_pool": {
        "en": "That Linear layer takes the feature maps before pooling. MaxPool2d(2) halves each side first: how many numbers does Flatten hand to the Linear layer?",
        "he": "שכבת ה־Linear הזו מקבלת את מפות התכונות (feature maps) לפני ה־pooling. אבל לפני כן MaxPool2d(2) מקטינה כל צד פי 2: כמה מספרים Flatten מעבירה לשכבת ה־Linear?",
    },
    "ex.10.predict_params.ok": {
        "en": "The CNN has {cnn} parameters, the fully connected net {fc}: {ratio:.1f} times as many, for about the same accuracy.",
        "he": "לרשת הקונבולוציה יש {cnn} פרמטרים, לרשת המחוברת במלואה {fc}: פי {ratio:.1f} יותר, בשביל בערך אותו דיוק.",
    },
    "ex.10.predict_params.not_A": {
        "en": "A filter's 9 weights are shared by all 64 positions of the image. In the fully connected net, how many weights does each hidden neuron have?",
        "he": "9 המשקולות של מסנן משותפות לכל 64 המקומות בתמונה. ברשת המחוברת במלואה, כמה משקולות יש לכל נוירון נסתר?",
    },
    "ex.10.predict_params.not_B": {
        "en": "Count the first Linear layer of the fully connected net alone: 64 pixels times 32 neurons. How does that compare with the whole CNN?",
        "he": "ספרו רק את שכבת ה־Linear הראשונה של הרשת המחוברת במלואה: 64 פיקסלים כפול 32 נוירונים. איך זה לעומת כל רשת הקונבולוציה?",
    },
    "cnn.w.image": {"en": "image", "he": "תמונה"},
    "cnn.w.filter": {"en": "filter", "he": "מסנן"},
    "cnn.w.row": {"en": "row", "he": "שורה"},
    "cnn.w.col": {"en": "column", "he": "עמודה"},
    "cnn.w.prev": {"en": "◀ previous place", "he": "המקום הקודם"},
    "cnn.w.next": {"en": "next place ▶", "he": "המקום הבא"},
    "cnn.w.prev_tip": {"en": "Move the window one place back (row by row)", "he": "הזזת החלון מקום אחד אחורה (שורה אחרי שורה)"},
    "cnn.w.next_tip": {"en": "Move the window one place on (row by row)", "he": "הזזת החלון מקום אחד קדימה (שורה אחרי שורה)"},
    "cnn.w.hand.horizontal": {"en": "made by hand: horizontal bar", "he": "בנוי ביד: פס אופקי"},
    "cnn.w.hand.vertical": {"en": "made by hand: vertical bar", "he": "בנוי ביד: פס אנכי"},
    "cnn.w.hand.diagonal": {"en": "made by hand: diagonal bar \\", "he": "בנוי ביד: פס אלכסוני \\"},
    "cnn.w.learned": {"en": "learned: filter {k}", "he": "נלמד: מסנן {k}"},
    "cnn.w.title.image": {"en": "image (padded) and window", "he": "התמונה (מרופדת) והחלון"},
    "cnn.w.title.filter": {"en": "filter", "he": "המסנן"},
    "cnn.w.title.output": {"en": "output map so far", "he": "מפת הפלט עד כאן"},
    "cnn.w.products": {
        "en": "The nine products, window × filter, place by place:",
        "he": "תשע המכפלות, חלון × מסנן, מקום מול מקום:",
    },
    "cnn.w.sum": {
        "en": "output[{r}, {c}] = sum of the nine products + bias = {products:.4f} + {bias:.4f} = {value:.4f}",
        "he": "output[{r}, {c}] = סכום תשע המכפלות + ההטיה = {products:.4f} + {bias:.4f} = {value:.4f}",
    },
    "cnn.w.where": {
        "en": "The window is centred on pixel ({r}, {c}) of the image; where it sticks out of the image it covers the padding's zeros.",
        "he": "החלון ממורכז על הפיקסל ({r}, {c}) של התמונה; במקומות שבהם הוא בולט מחוץ לתמונה הוא מכסה את האפסים של הריפוד.",
    },
    "cnn.w.no_conv": {
        "en": "The model given has no nn.Conv2d layer with one input channel, so only the filters made by hand are offered.",
        "he": "במודל שניתן אין שכבת nn.Conv2d עם ערוץ קלט אחד, ולכן מוצעים רק המסננים שנבנו ביד.",
    },
}
