-- The language a therapist's interface speaks (fi, sv or en; '' when they
-- have not chosen, and the environment decides): 'polku therapists set H
-- --ui-lang fi'. Mutable state of the account, versioned like intake.
ALTER TABLE therapists ADD COLUMN ui_lang TEXT NOT NULL DEFAULT '';
