"""Reads the SARIF log that `Sarif.Multitool validate -o` writes and prints
the problems it found, then a count; exit status 1 if there is an error or a
warning, or if the validation itself did not complete.

    sarif-problems.py VALIDATION.sarif
"""
import json
import sys

log = json.load(open(sys.argv[1], encoding="utf-8"))
run = log["runs"][0]
problems = [r for r in run.get("results", [])
            if r.get("level", "warning") in ("error", "warning")]
for r in problems:
    loc = r.get("locations", [{}])[0].get("physicalLocation", {})
    print("%s: %s %s %s" % (loc.get("artifactLocation", {}).get("uri", "?"),
                            r.get("level", "warning"), r.get("ruleId"),
                            json.dumps(r.get("message", {}).get("arguments"))))
ok = all(inv.get("executionSuccessful") for inv in run.get("invocations", []))
print("%d error(s) or warning(s)%s" % (len(problems), "" if ok else ", validation failed"))
sys.exit(0 if ok and not problems else 1)
