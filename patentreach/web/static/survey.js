// The questionnaire as the respondent types: posts the page's answers to /survey/{token}/check and
// applies the server's answer (which questions apply, calculated values, allowed choices, messages).
// The server decides (the response import's own evaluator); nothing here evaluates the form.
(function () {
  "use strict";
  var form = document.getElementById("survey-form");
  if (!form || !window.fetch) { return; }
  var touched = {};
  var pending = null;
  var sequence = 0;

  function field(name) { return form.querySelector('[data-field="' + name + '"]'); }

  function setEnabled(container, enabled) {
    container.querySelectorAll("input").forEach(function (input) {
      var choice = input.closest("[data-choice]");
      input.disabled = !enabled || (choice !== null && choice.hidden);
    });
  }

  function apply(state) {
    Object.keys(state.relevant).forEach(function (name) {
      var container = field(name);
      if (!container) { return; }
      // a calculation without a label is kept, not shown (as ODK does)
      container.hidden = !state.relevant[name] || container.classList.contains("silent");
      setEnabled(container, state.relevant[name]);
    });
    // a repeat's instance heading, "remove" and "add another" buttons follow their question
    form.querySelectorAll("[data-follows]").forEach(function (element) {
      var name = element.getAttribute("data-follows");
      if (name in state.relevant) { element.hidden = !state.relevant[name]; }
    });
    Object.keys(state.allowed).forEach(function (name) {
      var container = field(name);
      if (!container) { return; }
      var allowed = state.allowed[name];
      container.querySelectorAll("[data-choice]").forEach(function (label) {
        var ok = allowed.indexOf(label.getAttribute("data-choice")) >= 0;
        label.hidden = !ok;
        var input = label.querySelector("input");
        input.disabled = !ok || container.hidden;
        if (!ok) { input.checked = false; }
      });
    });
    Object.keys(state.calculated).forEach(function (name) {
      var output = form.querySelector('[data-calc="' + name + '"]');
      if (output) { output.textContent = state.calculated[name]; }
    });
    form.querySelectorAll("[data-field]").forEach(function (container) {
      var name = container.getAttribute("data-field");
      var message = container.querySelector(".issue");
      if (!message) { return; }
      if (!touched[name]) { return; }  // the server's messages (after Next or Submit) stay until then
      var text = state.issues[name] || "";
      message.textContent = text;
      message.hidden = text === "";
      container.classList.toggle("has-issue", text !== "");
    });
    form.setAttribute("data-checked", String(sequence));
  }

  function check() {
    var mine = ++sequence;
    var body = new URLSearchParams(new FormData(form));
    body.delete("action");
    var token = form.querySelector('input[name="csrf_token"]').value;
    fetch(form.getAttribute("data-check"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRF-Token": token, "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { return null; }
      return response.json();
    }).then(function (state) {
      if (state && mine === sequence) { apply(state); }
    }).catch(function () { /* offline: the server checks again when the page is posted */ });
  }

  function changed(event) {
    if (!event.target.name || event.target.name === "csrf_token") { return; }
    touched[event.target.name] = true;
    if (pending) { clearTimeout(pending); }
    pending = setTimeout(check, event.type === "input" ? 250 : 0);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
}());
