// Reading dashboard JSON: panels (rows' nested panels included), targets, variables.

/** Every panel of the dashboard, nested row panels included, in order. */
export function panels(dashboard) {
  const out = [];
  for (const p of dashboard.panels ?? []) {
    out.push(p);
    for (const nested of p.panels ?? []) {
      out.push(nested);
    }
  }
  return out;
}

/** "panel 3 "Busiest pods"" for messages. */
export function describe(panel) {
  return `panel ${panel.id ?? '?'} "${panel.title ?? ''}"`;
}

/** The template variables, by name. */
export function variables(dashboard) {
  return new Map((dashboard.templating?.list ?? []).map((v) => [v.name, v]));
}

/** A variable's query text (Grafana stores it as a string or as {query: ...}). */
export function queryText(variable) {
  const q = variable.query;
  return typeof q === 'string' ? q : (q?.query ?? '');
}
