// Types the generated checks use. Everything Grafana-specific comes from @grafana/schema; only the
// Prometheus query model is restated, because Grafana publishes it as the PrometheusDataQuery kind
// (public/app/plugins/datasource/prometheus/dataquery.cue) but not in the @grafana/schema package.
import type { DataQuery, FieldConfig, FieldConfigSource, Panel } from '@grafana/schema';

/**
 * T as it appears in dashboard JSON: a string enum becomes the union of its values (Grafana stores
 * enum members by value), everything else keeps its shape, so excess and missing properties and
 * wrong value types are still errors.
 */
export type Json<T> = T extends string
  ? string extends T
    ? string
    : `${T}`
  : T extends ReadonlyArray<infer U>
    ? Array<Json<U>>
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

/** A Prometheus panel target: Grafana's PrometheusDataQuery kind. */
export interface PrometheusQuery extends DataQuery {
  /** The PromQL expression. */
  expr: string;
  editorMode?: 'code' | 'builder';
  exemplar?: boolean;
  format?: 'time_series' | 'table' | 'heatmap';
  hinting?: boolean;
  instant?: boolean;
  interval?: string;
  intervalFactor?: number;
  intervalMs?: number;
  legendFormat?: string;
  range?: boolean;
}

/** A panel whose options and custom field config are its plugin's published types. */
export type PanelOf<O, F> = Omit<Panel, 'options' | 'fieldConfig' | 'targets'> & {
  options: O;
  fieldConfig: Omit<FieldConfigSource, 'defaults'> & {
    defaults: Omit<FieldConfig, 'custom'> & { custom?: F };
  };
  targets?: PrometheusQuery[];
};

/** For panel plugins without custom field config (stat, bargauge, gauge, text). */
export type NoCustom = Record<string, never>;
