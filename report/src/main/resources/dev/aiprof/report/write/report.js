"use strict";
(function () {
  const data = JSON.parse(document.getElementById("data").textContent);
  const app = document.getElementById("app");
  const h = document.createElement("h1");
  h.textContent = "aiprof report";
  app.appendChild(h);
  const p = document.createElement("p");
  p.textContent = data.verdict;
  app.appendChild(p);
})();
