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
        "en": "Forward pass: computed the prediction y_hat for {n} samples. No parameter changed.",
        "he": "מעבר קדימה: חושב החיזוי y_hat עבור {n} דוגמאות. אף פרמטר לא השתנה.",
    },
    "stepper.did.loss": {
        "en": "Loss: MSE = {loss:.4f}. No parameter changed.",
        "he": "הפסד: MSE = {loss:.4f}. אף פרמטר לא השתנה.",
    },
    "stepper.did.zero_grad_none": {
        "en": "zero_grad(): every .grad is now None (set_to_none=True, PyTorch's default). No parameter changed.",
        "he": "zero_grad(): כל ‎.grad הוא עכשיו None (set_to_none=True, ברירת המחדל של PyTorch). אף פרמטר לא השתנה.",
    },
    "stepper.did.zero_grad_zeros": {
        "en": "zero_grad(set_to_none=False): every .grad is now a tensor of zeros. No parameter changed.",
        "he": "zero_grad(set_to_none=False): כל ‎.grad הוא עכשיו טנזור של אפסים. אף פרמטר לא השתנה.",
    },
    "stepper.did.backward": {
        "en": "backward(): computed dL/dW and dL/db for all {n} parameter tensors (stored in .grad). No parameter changed.",
        "he": "backward(): חושבו dL/dW ו־dL/db לכל {n} טנזורי הפרמטרים (נשמרו ב־‎.grad). אף פרמטר לא השתנה.",
    },
    "stepper.did.backward_accumulated": {
        "en": "backward() again without zero_grad(): the new gradients were ADDED to the old ones (.grad is now the sum of {count} backward passes). No parameter changed.",
        "he": "backward() שוב בלי zero_grad(): הגרדיאנטים החדשים נוספו לישנים (‎.grad הוא עכשיו סכום של {count} מעברים אחורה). אף פרמטר לא השתנה.",
    },
    "stepper.did.step": {
        "en": "step(): W <- W - lr * dL/dW changed {n} parameter tensors. This is the only step that changes weights and biases.",
        "he": "step(): העדכון W <- W - lr * dL/dW שינה {n} טנזורי פרמטרים. זה הצעד היחיד שמשנה משקולות והטיות.",
    },
    "stepper.problem.loss_before_forward": {
        "en": "Nothing to measure yet: the loss compares a prediction with the targets, and there is no prediction. Run forward() first.",
        "he": "עדיין אין מה למדוד: ההפסד משווה חיזוי לערכי המטרה, ועדיין אין חיזוי. הריצו קודם את forward().",
    },
    "stepper.problem.backward_before_loss": {
        "en": "backward() needs a loss to differentiate: there is none yet. Run forward() and then the loss first. No gradient was computed.",
        "he": "backward() צריך הפסד לגזור ממנו, ועדיין אין כזה. הריצו קודם את forward() ואחריו את ההפסד. לא חושב שום גרדיאנט.",
    },
    "stepper.problem.backward_stale": {
        "en": "This loss was computed with weights that step() has changed since. Its graph is out of date, so backward() was not run: do forward() and the loss again.",
        "he": "ההפסד הזה חושב עם משקולות ש־step() שינה מאז. הגרף שלו כבר לא עדכני, ולכן backward() לא הורץ: הריצו שוב forward() ואת ההפסד.",
    },
    "stepper.problem.step_without_grad": {
        "en": "step() found no gradients (every .grad is None), so nothing moved: the optimizer only follows gradients, and backward() computes them. Run backward() before step().",
        "he": "step() לא מצא גרדיאנטים (כל ‎.grad הוא None) ולכן שום דבר לא זז: האופטימייזר רק הולך לפי הגרדיאנטים, ו־backward() הוא שמחשב אותם. הריצו backward() לפני step().",
    },
    "stepper.problem.step_zero_grad": {
        "en": "step() found only zero gradients (zero_grad(set_to_none=False) and no backward()). Plain SGD moves nothing; run backward() before step().",
        "he": "step() מצא רק גרדיאנטים אפסיים (zero_grad(set_to_none=False) בלי backward()). SGD פשוט לא מזיז כלום; הריצו backward() לפני step().",
    },
    "stepper.problem.step_twice": {
        "en": "step() again with the same gradients: the weights moved a second time in the same direction, although nothing was re-measured. In a real loop every step() follows a fresh forward/loss/backward.",
        "he": "step() שוב עם אותם גרדיאנטים: המשקולות זזו פעם שנייה באותו כיוון, בלי שמשהו נמדד מחדש. בלולאה אמיתית כל step() בא אחרי forward, הפסד ו־backward חדשים.",
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
        "en": "Training diverged at epoch {epoch}: the loss became {loss} (learning rate {lr:g} is too large for {optimizer}).",
        "he": "האימון התבדר באפוק {epoch}: ההפסד הפך ל־{loss} (קצב הלמידה {lr:g} גדול מדי עבור {optimizer}).",
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
    "plot.minimum": {"en": "minimum (2, 1)", "he": "מינימום (2, 1)"},
    "plot.log_scale": {"en": "log scale", "he": "סקאלה לוגריתמית"},
    # ---- checks ----------------------------------------------------------------------------
    "check.unanswered": {
        "en": "Not answered yet: replace the ... with your answer and run the cell again.",
        "he": "עדיין לא נענה: החליפו את ה־... בתשובה שלכם והריצו שוב את התא.",
    },
    "check.correct": {"en": "Correct! {detail}", "he": "נכון! {detail}"},
    "check.got_expected_number": {
        "en": "Not yet: got {got}, expected about {expected} (within {tol}).",
        "he": "עוד לא: קיבלתי {got}, ציפיתי לבערך {expected} (בטווח {tol}).",
    },
    "check.got_expected_exact": {
        "en": "Not yet: got {got}, expected {expected}.",
        "he": "עוד לא: קיבלתי {got}, ציפיתי ל־{expected}.",
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
        "en": "Not yet: {count} of {total} values differ from the expected ones by more than {tol} (largest difference {worst}, at index {where}).",
        "he": "עוד לא: {count} מתוך {total} ערכים שונים מהצפויים ביותר מ־{tol} (ההפרש הגדול ביותר {worst}, באינדקס {where}).",
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
    "check.internal_error": {
        "en": "The checker could not read this answer ({error}); expected {expected}.",
        "he": "הבודק לא הצליח לקרוא את התשובה ({error}); ציפיתי ל{expected}.",
    },
}
