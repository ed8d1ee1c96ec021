/**
 * A scenario as one Python program: a header comment, then each step's code under a
 * `# Step n: title` comment, a blank line between steps. The program is what the page's
 * editor shows and what python3 runs to judge the facts; each step knows the lines it spans.
 */
import type { Scenario } from '../scenario.ts';

export interface StepLines {
  /** 1-based, inclusive: the first and last lines of the step's code in the program. */
  readonly firstLine: number;
  readonly lastLine: number;
}

export interface ScenarioProgram {
  readonly source: string;
  readonly filename: string;
  readonly steps: readonly StepLines[];
}

function commentLines(text: string, width = 88): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length > 1 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  if (line.length > 1) lines.push(line);
  return lines;
}

export function buildProgram(scenario: Scenario): ScenarioProgram {
  const lines = [...commentLines(`${scenario.title}.`), ...commentLines(`From: ${scenario.source}.`)];
  const steps: StepLines[] = [];
  scenario.steps.forEach((step, index) => {
    lines.push('', `# Step ${index + 1}: ${step.title}`);
    const code = step.code.replace(/\s+$/, '').split('\n');
    const firstLine = lines.length + 1;
    lines.push(...code);
    steps.push({ firstLine, lastLine: lines.length });
  });
  // Not the scenario's bare name: `tracemalloc.py` in python3's folder would shadow the module.
  return { source: `${lines.join('\n')}\n`, filename: `lab_${scenario.name.replace(/-/g, '_')}.py`, steps };
}

/** The scenario as the Python program the learner reads and can run under python3. */
export function scenarioProgram(scenario: Scenario): string {
  return buildProgram(scenario).source;
}
