// Keeps the response-rate tables of /admin/survey current: polls rates.json and redraws each table.
// Without JavaScript the page is the same, as of when it was loaded.
(() => {
  const lang = document.documentElement.lang || "en";
  const count = new Intl.NumberFormat(lang);
  const share = new Intl.NumberFormat(lang, {style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1});
  const KEYS = ["invited", "opened", "partial", "complete", "web", "paper"];
  function cell(row, text, className) {
    const td = row.insertCell();
    td.textContent = text;
    if (className) td.className = className;
  }
  function redraw(section, status) {
    const body = section.querySelector("tbody.rates");
    if (!body) return;
    body.replaceChildren();
    for (const line of status.rates) {
      const row = body.insertRow();
      row.dataset.stratum = line.stratum;
      if (line.stratum === "all") row.className = "total";
      cell(row, line.label, "stratum");
      for (const key of KEYS) cell(row, count.format(line[key]), "num " + key);
      cell(row, line.response_rate === null ? "-" : share.format(line.response_rate), "num response_rate");
    }
    section.querySelectorAll(".when-rates").forEach((node) => { node.hidden = status.rates.length === 0; });
    section.querySelectorAll(".when-no-rates").forEach((node) => { node.hidden = status.rates.length !== 0; });
    const stored = section.querySelector(".stored-count");
    if (stored) stored.textContent = count.format(status.stored);
    section.querySelectorAll(".when-open").forEach((node) => { node.hidden = status.closed; });
    section.querySelectorAll(".when-closed").forEach((node) => { node.hidden = !status.closed; });
  }
  async function poll(section) {
    try {
      const answer = await fetch(section.dataset.rates,
                                 {credentials: "same-origin", headers: {Accept: "application/json"}});
      if (answer.ok && (answer.headers.get("content-type") || "").startsWith("application/json")) {
        redraw(section, await answer.json());
      }
    } catch (error) { /* offline for a moment: the next poll tries again */ }
  }
  document.addEventListener("DOMContentLoaded", () => {
    const sections = document.querySelectorAll("section.survey-form[data-rates]");
    const holder = document.querySelector("[data-poll-seconds]");
    const seconds = Number((holder && holder.dataset.pollSeconds) || 5);
    sections.forEach((section) => setInterval(() => poll(section), seconds * 1000));
  });
})();
