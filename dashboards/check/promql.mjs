// PromQL syntax checks with the Prometheus project's own Lezer grammar (what Grafana's editor uses).
import { parser } from '@prometheus-io/lezer-promql';
import { describe, panels, queryText, variables } from './panels.mjs';

// Grafana's built-in variables, with a value of the right kind for parsing.
const BUILTINS = new Map([
  ['__rate_interval', '1m'],
  ['__interval', '1m'],
  ['__range', '1h'],
  ['__range_s', '3600'],
  ['__range_ms', '3600000'],
  ['__interval_ms', '60000'],
  ['__dashboard', 'x'],
]);
const REFERENCE = /\$\{(\w+)(?::[\w]+)?\}|\$(\w+)|\[\[(\w+)(?::[\w]+)?\]\]/g;

/** The expression with every variable replaced; unknown variables are reported. */
export function substitute(expr, known, problems, where) {
  return expr.replace(REFERENCE, (_, a, b, c) => {
    const name = a ?? b ?? c;
    if (BUILTINS.has(name)) {
      return BUILTINS.get(name);
    }
    if (!known.has(name)) {
      problems.push(`${where}: unknown variable $${name} (define it under templating, or fix the name)`);
    }
    return 'x';
  });
}

/** Parse errors of one expression, as "at N: ...context...". */
export function syntaxErrors(expr) {
  const errors = new Set();
  parser.parse(expr).iterate({
    enter: (n) => {
      if (n.type.isError) {
        const at = Math.min(n.from, expr.length);
        errors.add(`syntax error near ${JSON.stringify(expr.slice(Math.max(0, at - 30), at + 30))} (variables replaced)`);
      }
    },
  });
  return [...errors];
}

const LABEL_VALUES = /^\s*label_values\(\s*(.*)\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/s;

/** Problems of every target expression and label_values() variable query; also counts them. */
export function checkPromql(file, dashboard, counts) {
  const problems = [];
  const known = variables(dashboard);
  const check = (expr, where) => {
    counts.expressions++;
    for (const e of syntaxErrors(substitute(expr, known, problems, where))) {
      problems.push(`${where}: ${e} in ${JSON.stringify(expr)}`);
    }
  };
  for (const p of panels(dashboard)) {
    for (const t of p.targets ?? []) {
      const where = `${file}, ${describe(p)}, query ${t.refId ?? '?'}`;
      if (typeof t.expr !== 'string' || t.expr.trim() === '') {
        problems.push(`${where}: no PromQL expression (expr)`);
      } else {
        check(t.expr, where);
      }
    }
  }
  for (const v of known.values()) {
    if (v.type !== 'query') {
      continue;
    }
    const where = `${file}, variable ${v.name}`;
    const m = LABEL_VALUES.exec(queryText(v));
    if (m) {
      check(m[1], where);
    } else {
      check(queryText(v), where);
    }
  }
  return problems;
}
