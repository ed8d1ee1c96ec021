/** The platform a scenario gets in Node: real process memory and, at a terminal, progress bars. */
import type { Platform } from '../platform.ts';
import { progressFactory } from './progress.ts';

export function nodePlatform(showProgress: boolean): Platform {
  return {
    processMemory: () => {
      const m = process.memoryUsage();
      return { rss: m.rss, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers };
    },
    now: () => performance.now(),
    progress: progressFactory(showProgress),
  };
}
