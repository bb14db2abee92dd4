// The filter bar submits itself when a choice changes (the Apply button does the same without JavaScript).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("filters");
  if (!form) return;
  form.querySelectorAll("select").forEach((box) => box.addEventListener("change", () => form.requestSubmit()));
  form.querySelectorAll("input[type=text], input[type=number]").forEach((box) =>
    box.addEventListener("change", () => { if (box.checkValidity()) form.requestSubmit(); }));
});
