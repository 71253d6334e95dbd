-- Reserved for another branch's migration (the merger replaces this file).
SELECT 1;
