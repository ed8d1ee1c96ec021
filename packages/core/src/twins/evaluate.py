# Evaluates each Python expression read as a JSON list on stdin and prints, for each, the
# repr of its value or the exception it raised (type name and message), as JSON. The
# tests beside this folder compare refheap's answers for the same cases with these.
import json
import sys

results = []
for source in json.load(sys.stdin):
    try:
        results.append({'value': repr(eval(source, {}))})
    except Exception as error:  # the point is to report every kind of exception
        results.append({'error': type(error).__name__, 'message': str(error)})
print(json.dumps(results))
