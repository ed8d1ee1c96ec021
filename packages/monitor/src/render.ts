/**
 * DOT to SVG with Graphviz itself, compiled to WebAssembly (`@viz-js/viz`), so
 * objgraph's pictures render the same in Node and in the browser with no
 * system Graphviz. The package is an optional peer dependency: it is loaded on
 * first use, and a missing one is a clear error naming it.
 */

/** What `renderDot` accepts. */
export interface RenderOptions {
  /** Graphviz output format. Default `svg`. */
  readonly format?: 'svg' | 'json' | 'dot' | 'xdot' | 'plain';
  /**
   * Layout engine. Default `dot` up to `sfdpAbove` nodes and `sfdp` beyond: `dot` is the
   * layered picture objgraph users know, but it takes minutes on a thousand nodes.
   */
  readonly engine?: 'dot' | 'neato' | 'fdp' | 'sfdp' | 'circo' | 'twopi';
  /** Node count above which the default engine becomes `sfdp`. Default 500. */
  readonly sfdpAbove?: number;
  /**
   * A Graphviz instance to use (`await instance()` from `@viz-js/viz`). Without one the package
   * is imported by name at run time, which Node resolves; browser bundles should pass it,
   * since bundlers only include what they see imported.
   */
  readonly viz?: VizInstance;
}

/** The part of `@viz-js/viz`'s `Viz` that rendering uses. */
export interface VizInstance {
  render(
    input: string,
    options?: { format?: string; engine?: string },
  ): { status: 'success'; output: string } | { status: 'failure'; output: undefined; errors: { message: string }[] };
}

let viz: Promise<VizInstance> | undefined;

async function loadViz(): Promise<VizInstance> {
  const specifier = '@viz-js/viz';
  let module: { instance(): Promise<VizInstance> };
  try {
    module = (await import(/* @vite-ignore */ specifier)) as { instance(): Promise<VizInstance> };
  } catch (error) {
    throw new Error(
      `rendering DOT needs the optional peer dependency @viz-js/viz (npm install @viz-js/viz): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return module.instance();
}

/** Counts the node statements of a DOT text produced by `showRefs`/`showBackrefs` (approximate for other DOT). */
function countNodes(dot: string): number {
  return new Set(dot.match(/^\s*(o\d+|too_many_o\d+)\[label=/gm) ?? []).size;
}

/** Renders Graphviz DOT (e.g. `showBackrefs` output) to SVG, or another Graphviz format. */
export async function renderDot(dot: string, options: RenderOptions = {}): Promise<string> {
  let instance: VizInstance;
  if (options.viz) instance = options.viz;
  else {
    viz ??= loadViz();
    try {
      instance = await viz;
    } catch (error) {
      viz = undefined;
      throw error;
    }
  }
  const engine = options.engine ?? (countNodes(dot) > (options.sfdpAbove ?? 500) ? 'sfdp' : 'dot');
  const result = instance.render(dot, { format: options.format ?? 'svg', engine });
  if (result.status !== 'success') {
    throw new Error(`Graphviz could not render the graph: ${result.errors.map((e) => e.message.trim()).join('; ')}`);
  }
  return result.output;
}
