/** The npm parser of the Prometheus text format, typed. */
import parsePrometheusTextFormatModule from 'parse-prometheus-text-format';

export interface ParsedFamily {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: { value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string }[];
}

const parse = ((parsePrometheusTextFormatModule as unknown as { default?: unknown }).default ?? parsePrometheusTextFormatModule) as (text: string) => ParsedFamily[];

export function parsePrometheus(text: string): ParsedFamily[] {
  return parse(text);
}
