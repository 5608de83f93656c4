// Before anything is drawn: tell GOV.UK Frontend's styles that its scripts will run (the
// policy of the site allows no inline script, so this one line has a file of its own).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
