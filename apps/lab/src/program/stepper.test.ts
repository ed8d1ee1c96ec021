import { describe, expect, it } from 'vitest';
import { stateAt } from './state.ts';
import { Stepper } from './stepper.ts';

const LOOP = 'total = 0\nfor i in range(30):\n    total += i\nprint(total)\n';

describe('Stepper', () => {
  it('steps forward and back through the same states a fresh replay gives', () => {
    const stepper = new Stepper(LOOP);
    expect(stepper.total).toBe(stepper.trace.steps.length);
    const forward = [stepper.restart()];
    while (!stepper.atEnd) forward.push(stepper.step());
    expect(forward.at(-1)).toMatchObject({ finished: true, stdout: '435\n' });
    const backward = [forward.at(-1)!];
    while (stepper.current > 0) backward.push(stepper.back());
    expect(backward.reverse()).toEqual(forward);
    expect(forward[17]).toEqual(stateAt(LOOP, 17));
  });

  it('replays a batch of neighbours at a time, in the direction of travel', () => {
    const stepper = new Stepper(LOOP);
    stepper.restart();
    for (let i = 0; i < 16; i++) stepper.step();
    expect(stepper.replays).toBe(3); // steps 0–7, 8–15, 16–23
    stepper.goTo(30);
    for (let i = 0; i < 8; i++) stepper.back();
    expect(stepper.replays).toBe(5); // 29–33, then 28 down to 21: each step's predecessor is at hand
    expect(stepper.before).toEqual(stateAt(LOOP, stepper.current - 1));
    expect(stepper.replays).toBe(5);
  });

  it('finds the next step that runs a line, and clamps where it goes', () => {
    const stepper = new Stepper(LOOP);
    expect(stepper.nextStepOnLine(3)).toBe(3);
    stepper.goTo(3);
    // The loop's body is a line event per iteration (the header, one per loop: the interpreter's events are per statement).
    expect(stepper.nextStepOnLine(3)).toBe(4);
    expect(stepper.nextStepOnLine(4)).toBe(stepper.total);
    expect(stepper.nextStepOnLine(99)).toBeNull();
    expect(stepper.goTo(-5).step).toBe(0);
    expect(stepper.before).toBeNull();
    expect(stepper.goTo(10_000).step).toBe(stepper.total);
  });

  it('stops an endless loop at its budget and stays steppable', () => {
    const stepper = new Stepper('while True:\n    pass\n', { stepLimit: 200 });
    expect(stepper.trace.stoppedBy).toBe('step budget');
    expect(stepper.toEnd()).toMatchObject({ step: 200, finished: true, stoppedBy: 'step budget' });
    expect(stepper.back()).toMatchObject({ step: 199, finished: false });
  });
});
