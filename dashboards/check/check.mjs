#!/usr/bin/env node
// Checks Grafana dashboard JSON files:
//  1. types: each dashboard is a @grafana/schema Dashboard, each panel its plugin's published
//     Options/FieldConfig, each target a Prometheus query (tsc --strict over generated .ts files);
//  2. PromQL: every target expression and label_values() variable query parses with
//     @prometheus-io/lezer-promql, and uses only variables the dashboard defines.
// Usage: node check.mjs DASHBOARD.json...  Exit 0 when all pass, 1 with one line per problem,
// 2 on bad usage.
import { readFileSync } from 'node:fs';
import { checkPromql } from './promql.mjs';
import { typecheck } from './typecheck.mjs';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node check.mjs DASHBOARD.json...');
  process.exit(2);
}
const problems = [];
const parsed = new Map();
for (const file of files) {
  try {
    parsed.set(file, JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    problems.push(`${file}: not a JSON dashboard: ${e.message}`);
  }
}
const counts = { panels: 0, expressions: 0 };
problems.push(...typecheck(parsed, counts));
for (const [file, dashboard] of parsed) {
  problems.push(...checkPromql(file, dashboard, counts));
}
for (const p of problems) {
  console.log(p);
}
console.log(
  `checked ${parsed.size} dashboards, ${counts.panels} panels, ${counts.expressions} PromQL expressions: ` +
    (problems.length ? `${problems.length} problems` : 'ok'),
);
process.exit(problems.length ? 1 : 0);
