"""Runs the Python half of one workload and prints its samples as JSON on stdout.

    python3 harness.py WORKLOAD.py --n N --reps R --warmup W

The workload file defines run(n), which times its own program with
time.perf_counter_ns() and returns {metric: value}. Here: W untimed warm-up runs, then R
timed ones, each after a full collection so that no run pays for the last one's garbage
(the TypeScript side starts each run on a new heap). Prints
{"python": "3.11.7", "samples": [{metric: value}, ...]}.
"""
import argparse
import gc
import importlib.util
import json
import os
import platform
import sys


def load(path):
    spec = importlib.util.spec_from_file_location('workload', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('workload')
    parser.add_argument('--n', type=int, required=True)
    parser.add_argument('--reps', type=int, default=1)
    parser.add_argument('--warmup', type=int, default=0)
    args = parser.parse_args()
    cpu = os.environ.get('REFHEAP_BENCH_CPU')
    if cpu:
        # The runner's --cpu: this (only) thread onto that CPU alone (see affinity.ts).
        os.sched_setaffinity(0, {int(cpu)})
    module = load(args.workload)
    samples = []
    for i in range(args.warmup + args.reps):
        gc.collect()
        gc.enable()
        sample = module.run(args.n)
        if i >= args.warmup:
            samples.append(sample)
    json.dump({'python': platform.python_version(), 'samples': samples}, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
