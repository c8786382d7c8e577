#!/usr/bin/env python3
"""Issue 10: bad scenarios, profiles, exercises and retained states are refused, never trapped.

  mutate-inputs.py generate BINARY CORPUS    writes the regression corpus (seeded, so the same
                                             files each time): mutants of the reference scenario,
                                             the six device profiles, the two exercises and a
                                             saved state, and CORPUS/expected.tsv (each file's
                                             outcome: accepted or refused, and the field named)
  mutate-inputs.py run BINARY CORPUS         runs every file of the corpus through the command a
                                             user would (check, points, run --exercise, check
                                             --state), then the special cases made on the fly
                                             (extends cycles, /dev/zero, nesting 100,000 deep,
                                             10 MB of comments, 4,000 pipes)

Passes when: no run ends on a signal or a trap, none takes over 5 s, every refusal's first line is
`Error: FILE:LINE: FIELD: MESSAGE` with LINE ≥ 1 (or FIELD `(file)` for a file that cannot be
read as text), and every file keeps the outcome the corpus records (a mutant once refused must
stay refused). Prints the figures and "N passed, M failed"."""
import json, os, random, re, resource, shutil, signal, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIO = os.path.join(ROOT, "Scenarios/wangenbourg-trace1.yaml")
PROFILES = os.path.join(ROOT, "DeviceProfiles")
EXERCISES = os.path.join(ROOT, "Exercises")
ERROR = re.compile(r"^Error: (.+?):(-?\d+): (.+?): (.+)$")

# ------------------------------------------------------------------------------- mutations

PAIR = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_]*): (?P<value>[^,{}\[\]\n#]*[^,{}\[\]\n# ])")

def value_edit(rng, text):
    """Changes one `key: value` somewhere in the text."""
    pairs = list(PAIR.finditer(text))
    if not pairs: return text, "none"
    m = rng.choice(pairs)
    kind = rng.choice(["wrongType", "negate", "huge", "huge2", "inf", "nan", "zero", "tiny", "empty", "int64",
                       "bigint", "float", "bool", "list", "quoted"])
    v = m.group("value")
    new = {"wrongType": "lots", "negate": v[1:] if v.startswith("-") else "-" + v, "huge": "1e308", "huge2": "1e309",
           "inf": rng.choice([".inf", "-.inf", "inf", "Infinity"]), "nan": rng.choice([".nan", "nan", "NaN"]), "zero": "0",
           "tiny": rng.choice(["1e-320", "5e-324", "1e-7"]), "empty": "", "int64": "9223372036854775808",
           "bigint": "100000000000000000000000", "float": "0.5", "bool": "true", "list": "[1, 2]", "quoted": '"' + v + '"'}[kind]
    return text[:m.start("value")] + new + text[m.end("value"):], f"{kind}-{m.group('key')}"

def line_edit(rng, text):
    lines = text.split("\n")
    idx = [i for i, l in enumerate(lines) if l.strip() and not l.strip().startswith("#")]
    i = rng.choice(idx)
    kind = rng.choice(["delete", "unknownKey", "repeatKey", "indent", "tab", "swap", "strayColon", "unclosedQuote",
                       "unbalanced", "badEscape", "alias", "listLevel"])
    l = lines[i]
    ind = l[:len(l) - len(l.lstrip())]
    if kind == "delete": del lines[i]
    elif kind == "unknownKey": lines.insert(i, ind + ("- " if l.lstrip().startswith("- ") and False else "") + "bogusKey: 1")
    elif kind == "repeatKey": lines.insert(i, l)
    elif kind == "indent": lines[i] = " " + l
    elif kind == "tab": lines[i] = "\t" + l
    elif kind == "swap" and i + 1 < len(lines): lines[i], lines[i + 1] = lines[i + 1], lines[i]
    elif kind == "strayColon": lines[i] = l + ": :"
    elif kind == "unclosedQuote": lines[i] = l.replace(": ", ': "', 1)
    elif kind == "unbalanced": lines[i] = l + " ]" if rng.random() < 0.5 else l.replace("{", "{ {", 1) + " ["
    elif kind == "badEscape": lines[i] = ind + 'name: "bad \\q escape"'
    elif kind == "alias": lines[i] = l.split(":")[0] + ": *nope" if ":" in l else l + " *nope"
    elif kind == "listLevel": lines[i] = ind + "- " + l.lstrip()
    return "\n".join(lines), kind

def byte_edit(rng, text):
    b = text.encode()
    kind = rng.choice(["truncate", "control", "utf8", "bom", "random"])
    p = rng.randrange(len(b))
    if kind == "truncate": b = b[:p]
    elif kind == "control": b = b[:p] + bytes([rng.choice([0, 1, 7, 8, 11, 12, 27, 127])]) + b[p:]
    elif kind == "utf8": b = b[:p] + bytes([rng.choice([0xC3, 0xFF, 0xE2, 0x80])]) + b[p:]
    elif kind == "bom": b = b"\xef\xbb\xbf" + b
    elif kind == "random": b = b[:p] + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64))) + b[p + 8:]
    return b, kind

def duplicate_id(rng, text):
    ids = re.findall(r"\bid: ([A-Za-z0-9_-]+)", text)
    if len(ids) < 2: return text, "none"
    a, b = rng.sample(ids, 2)
    return re.sub(r"\bid: " + re.escape(b) + r"\b", "id: " + a, text, count=1), f"duplicateId-{b}"

SCENARIO_SPECIFIC = [
    ("minFlowAboveMax", lambda t: t.replace("comfortC: 20", "comfortC: 20, minFlowC: 60, maxFlowC: 30", 1)),
    ("gasIdOfWoodBoiler", lambda t: t.replace("  gasBoilers: []\n", "  gasBoilers:\n    - { id: B1, nominalKW: 300 }\n", 1)),
    ("twoGasSameId", lambda t: t.replace("  gasBoilers: []\n", "  gasBoilers:\n    - { id: G1, nominalKW: 300 }\n    - { id: G1, nominalKW: 200 }\n", 1)),
    ("pipeToNowhere", lambda t: t.replace("  pipes:\n", "  pipes:\n    - { id: TX, from: plant, to: nowhere, lengthM: 10, innerDiameterMM: 26, lossWPerMK: 0.17 }\n", 1)),
    ("dpAboveHead", lambda t: re.sub(r"differentialSetpointKPa: [0-9.]+", "differentialSetpointKPa: 299", t, count=1)),
    ("economicsTypo", lambda t: t.replace("  loanYears: 5", "  loanYear: 5", 1)),
    ("referenceTypo", lambda t: t.replace("  heatDeliveredMWh: 683", "  heatDeliverdMWh: 683", 1)),
    ("loanYears1e300", lambda t: t.replace("  loanYears: 5", "  loanYears: 1e300", 1)),
    ("horizon1e15", lambda t: t.replace("  horizonYears: 24", "  horizonYears: 1e15", 1)),
    ("horizonNegative", lambda t: t.replace("  horizonYears: 24", "  horizonYears: -3", 1)),
    ("loanYearsFraction", lambda t: t.replace("  loanYears: 5", "  loanYears: 5.5", 1)),
    ("step10", lambda t: t.replace("stepSeconds: 1", "stepSeconds: 10", 1)),
    ("step5", lambda t: t.replace("stepSeconds: 1", "stepSeconds: 5", 1)),
    ("profileMissing", lambda t: re.sub(r"profile: [a-z-]+", "profile: nosuch", t, count=1)),
    ("profileTraversal", lambda t: re.sub(r"profile: [a-z-]+", "profile: ../../etc/passwd", t, count=1)),
    ("date0000", lambda t: re.sub(r"start: [0-9-]+", "start: 0000-01-01", t, count=1)),
    ("date9999", lambda t: re.sub(r"start: [0-9-]+", "start: 9999-12-31", t, count=1)),
    ("feb29", lambda t: re.sub(r"start: [0-9-]+", "start: 2025-02-29", t, count=1)),
    ("seedMax", lambda t: t.replace("seed: 1\n", "seed: 9223372036854775807\n", 1)),
    ("emptyDocument", lambda t: ""),
    ("commentOnly", lambda t: "# nothing\n"),
    ("scalarDocument", lambda t: "just a line\n"),
    ("listDocument", lambda t: "- a\n- b\n"),
    ("twoDocuments", lambda t: t + "\n---\nname: other\n"),
    ("aliasBomb", lambda t: t.replace("seed: 1\n", "seed: 1\nx0: &a [1,1,1,1,1,1,1,1,1]\nx1: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nx2: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n", 1)),
    ("nesting2000", lambda t: t.replace("seed: 1\n", "seed: " + "[" * 2000 + "]" * 2000 + "\n", 1)),
    ("nesting70", lambda t: t.replace("seed: 1\n", "seed: " + "[" * 70 + "]" * 70 + "\n", 1)),
    ("schedule24", lambda t: re.sub(r"from: \"?[0-9]+:00\"?", "from: \"24:00\"", t, count=1)),
]

def generate(binary, corpus):
    rng = random.Random(10)
    if os.path.isdir(corpus): shutil.rmtree(corpus)
    for d in ["scenarios", "profiles", "exercises", "states"]: os.makedirs(os.path.join(corpus, d))
    base = open(SCENARIO).read()
    n = 0
    def put(sub, name, content):
        nonlocal n
        n += 1
        path = os.path.join(corpus, sub, f"{n:03d}-{re.sub(r'[^A-Za-z0-9_.-]', '_', name)[:60]}")
        with open(path, "wb") as f: f.write(content if isinstance(content, bytes) else content.encode())
    for _ in range(150):
        t, k = value_edit(rng, base); put("scenarios", k + ".yaml", t)
    for _ in range(60):
        t, k = line_edit(rng, base); put("scenarios", k + ".yaml", t)
    for _ in range(30):
        b, k = byte_edit(rng, base); put("scenarios", k + ".yaml", b)
    for _ in range(15):
        t, k = duplicate_id(rng, base); put("scenarios", k + ".yaml", t)
    for k, f in SCENARIO_SPECIFIC: put("scenarios", k + ".yaml", f(base))
    profiles = sorted(os.listdir(PROFILES))
    for i in range(110):
        name = profiles[i % len(profiles)]
        p = open(os.path.join(PROFILES, name)).read()
        r = rng.random()
        if r < 0.45: t, k = value_edit(rng, p)
        elif r < 0.75: t, k = line_edit(rng, p)
        elif r < 0.85: t, k = byte_edit(rng, p)
        else:
            k = rng.choice(["overlap", "address65535", "duplicateTag", "writableInput", "rwNoRange", "minAboveMax", "scale1e300", "scale1e-7"])
            t = {"overlap": lambda s: re.sub(r"address: (\d+)", lambda m: f"address: {max(0, int(m.group(1)) - 1)}", s, count=3),
                 "address65535": lambda s: re.sub(r"address: \d+, tag: (\w+), type: (u?int32|float32)", r"address: 65535, tag: \1, type: \2", s, count=1),
                 "duplicateTag": lambda s: re.sub(r"(  - \{ address: )(\d+)(, tag: \w+[^\n]*\n)", lambda m: m.group(0) + m.group(1) + "5000" + m.group(3), s, count=1),
                 # the catalogue declares access, ranges and units: a profile may only restrict access
                 "writableInput": lambda s: s.replace("inputRegisters:\n  - {", "inputRegisters:\n  - { access: rw,", 1),
                 "rwNoRange": lambda s: re.sub(r"(tag: \w+)", r"\1, min: 0, max: 1", s, count=1),
                 "minAboveMax": lambda s: re.sub(r"(tag: \w+)", r"\1, unit: \"bar\"", s, count=1),
                 "scale1e300": lambda s: re.sub(r"scale: [0-9.]+", "scale: 1e300", s, count=1),
                 "scale1e-7": lambda s: re.sub(r"scale: [0-9.]+", "scale: 1e-7", s, count=1)}[k](p)
        put("profiles", f"{k}--{name}", t)
    for i in range(40):
        name = ["auger-jam.yaml", "silo-forgotten.yaml"][i % 2]
        e = open(os.path.join(EXERCISES, name)).read().replace("scenario: ../Scenarios/", "scenario: ../../../Scenarios/")
        r = rng.random()
        t, k = value_edit(rng, e) if r < 0.55 else line_edit(rng, e) if r < 0.9 else byte_edit(rng, e)
        put("exercises", f"{k}--{name}", t)
    # a real saved state, then its mutants
    with tempfile.TemporaryDirectory() as tmp:
        st = os.path.join(tmp, "s.json")
        p = subprocess.Popen([binary, "serve", SCENARIO, "--profiles", PROFILES, "--listen", "127.0.0.1:0", "--api", "off", "--speed", "3600",
                              "--days", "3", "--fresh", "--state", st, "--no-record"], stderr=subprocess.DEVNULL)
        time.sleep(4); p.send_signal(signal.SIGTERM); p.wait(20)
        state = json.load(open(st))
    def leaves(o, path=()):
        if isinstance(o, dict):
            for k, v in o.items(): yield from leaves(v, path + (k,))
        elif isinstance(o, list):
            for i, v in enumerate(o): yield from leaves(v, path + (i,))
        else: yield path, o
    def set_path(o, path, v):
        for q in path[:-1]: o = o[q]
        if v is KeyError and not isinstance(path[-1], int): del o[path[-1]]
        else: o[path[-1]] = None if v is KeyError else v
    numeric = [(p_, v) for p_, v in leaves(state) if isinstance(v, (int, float)) and not isinstance(v, bool)]
    for i in range(60):
        s = json.loads(json.dumps(state))
        path, v = rng.choice(numeric)
        k = rng.choice(["1e300", "-1", "-1e9", "1e308", "2^62", "string", "null", "delete", "fraction"])
        nv = {"1e300": 1e300, "-1": -1, "-1e9": -1e9, "1e308": 1e308, "2^62": 2 ** 62, "string": "x", "null": None, "delete": KeyError, "fraction": 0.5}[k]
        set_path(s, path, nv)
        put("states", f"{k}-{'.'.join(map(str, path))}.json", json.dumps(s, indent=2, sort_keys=True))
    for k, f in [("truncated", lambda t: t[:len(t) // 2]), ("empty", lambda t: ""), ("garbage", lambda t: "\x00\x01garbage"),
                 ("array", lambda t: "[]"), ("null", lambda t: "null"), ("version999", lambda t: re.sub(r'"version": \d+', '"version": 999', t)),
                 ("otherScenario", lambda t: re.sub(r'"scenarioName": "[^"]*"', '"scenarioName": "elsewhere"', t)),
                 ("supplyLaw3", lambda t: json.dumps({**json.loads(t), "parameters": {**json.loads(t)["parameters"], "plant.law.cold_supply": 1}}, indent=2)),
                 ("minFlowAboveMax", lambda t: json.dumps({**json.loads(t), "parameters": {k: (60 if k.endswith(".min_flow") else 30 if k.endswith(".max_flow") else v)
                                                                                          for k, v in json.loads(t)["parameters"].items()}}, indent=2)),
                 ("mode99", lambda t: json.dumps({**json.loads(t), "parameters": {k: (99 if k.endswith(".mode") else v) for k, v in json.loads(t)["parameters"].items()}}, indent=2)),
                 ("pendingTrucks1e9", lambda t: json.dumps({**json.loads(t), "silo": {**json.loads(t)["silo"], "pendingTrucks": 10 ** 9}}, indent=2)),
                 ("mildBelowCold", lambda t: json.dumps({**json.loads(t), "parameters": {**json.loads(t)["parameters"], "plant.law.cold_outdoor": 5, "plant.law.mild_outdoor": -5}}, indent=2))]:
        put("states", k + ".json", f(json.dumps(state, indent=2, sort_keys=True)))
    print(f"wrote {n} files under {corpus}")
    outcomes = run(binary, corpus, record=True)
    with open(os.path.join(corpus, "expected.tsv"), "w") as f:
        f.write("# file\toutcome\tfield named (refusals)\n")
        for rel, (outcome, field) in sorted(outcomes.items()): f.write(f"{rel}\t{outcome}\t{field}\n")

# ------------------------------------------------------------------------------- running

def command(binary, sub, path, tmp):
    if sub == "scenarios": return [binary, "check", path, "--profiles", PROFILES]
    if sub == "exercises": return [binary, "run", "--exercise", path, "--duration", "10m", "--no-record"]
    if sub == "states": return [binary, "check", SCENARIO, "--profiles", PROFILES, "--state", path]
    if sub == "profiles":
        d = os.path.join(tmp, "profiles"); shutil.rmtree(d, ignore_errors=True); shutil.copytree(PROFILES, d)
        shutil.copyfile(path, os.path.join(d, os.path.basename(path).split("--", 1)[1]))
        return [binary, "points", SCENARIO, "--profiles", d]

def judge(cmd):
    # the bounds are on the run's CPU time (user + system), not the wall clock: check-cli runs
    # beside the XCTests, and a loaded machine must not make a bounded check look slow
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        # 4 GiB of address space: a run that would take more is a failure here, not the machine's
        p = subprocess.run(cmd, capture_output=True, timeout=30,
                           preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30)))
        rc, err = p.returncode, p.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired:
        return "hang", 30.0, ""
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    dt = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
    if rc < 0 or rc >= 128: return f"signal/trap (exit {rc})", dt, err.strip().split("\n")[0][:200]
    if rc == 0: return "accepted", dt, ""
    first = err.strip().split("\n")[0] if err.strip() else ""
    m = ERROR.match(first)
    if not m: return "unclear", dt, first[:200]
    if int(m.group(2)) < 1 and m.group(3) != "(file)": return "line 0", dt, first[:200]
    return "refused", dt, m.group(3)

def run(binary, corpus, record=False):
    outcomes, counts, problems, slow, tmax = {}, {}, [], [], 0.0
    expected = {}
    exp_path = os.path.join(corpus, "expected.tsv")
    if not record and os.path.exists(exp_path):
        for line in open(exp_path):
            if line.startswith("#") or not line.strip(): continue
            rel, outcome, field = (line.rstrip("\n").split("\t") + ["", ""])[:3]
            expected[rel] = outcome
    with tempfile.TemporaryDirectory() as tmp:
        for sub in ["scenarios", "profiles", "exercises", "states"]:
            for name in sorted(os.listdir(os.path.join(corpus, sub))):
                rel = f"{sub}/{name}"
                outcome, dt, detail = judge(command(binary, sub, os.path.join(corpus, sub, name), tmp))
                if os.environ.get("VERBOSE"): print(f"  {rel}: {outcome} {dt:.2f} s {detail[:80]}", flush=True)
                tmax = max(tmax, dt)
                if dt > 5: slow.append((rel, dt))
                counts[(sub, outcome)] = counts.get((sub, outcome), 0) + 1
                outcomes[rel] = (outcome, detail)
                if outcome not in ("accepted", "refused"): problems.append(f"{rel}: {outcome}: {detail}")
                elif rel in expected and expected[rel] != outcome: problems.append(f"{rel}: {outcome}, the corpus says {expected[rel]}")
        # special cases, made on the fly (too large, or about files that are not files)
        base = open(SCENARIO).read()
        specials = []
        def write(name, content):
            path = os.path.join(tmp, name)
            with open(path, "w") as f: f.write(content)
            return path
        specials.append(("extends itself", write("self.yaml", "extends: self.yaml\nname: loop\n")))
        write("b.yaml", "extends: a.yaml\nname: b\n"); specials.append(("extends cycle a→b→a", write("a.yaml", "extends: b.yaml\nname: a\n")))
        specials.append(("extends /dev/zero", write("zero.yaml", "extends: /dev/zero\nname: z\n")))
        os.makedirs(os.path.join(tmp, "dir.yaml"), exist_ok=True)
        specials.append(("extends a directory", write("dir-ext.yaml", f"extends: {os.path.join(tmp, 'dir.yaml')}\nname: d\n")))
        specials.append(("a directory", os.path.join(tmp, "dir.yaml")))
        specials.append(("/dev/zero", "/dev/zero"))
        for depth in (5000, 10000, 100000):
            specials.append((f"nesting {depth}", write(f"deep{depth}.yaml", base.replace("seed: 1\n", "seed: " + "[" * depth + "]" * depth + "\n"))))
            specials.append((f"dash nesting {depth}", write(f"block{depth}.yaml", base.replace("seed: 1\n", "seed:\n  " + "- " * depth + "1\n"))))
        specials.append(("10 MB of comments", write("comments.yaml", base + ("# " + "x" * 98 + "\n") * 100000)))
        specials.append(("10 MB name", write("name.yaml", re.sub(r"^name: .*$", "name: " + "x" * 10_000_000, base, count=1, flags=re.M))))
        chain = "".join(f"    - {{ id: X{i}, from: {'J4' if i == 1 else f'X{i-1}'}, to: X{i}, lengthM: 5, innerDiameterMM: 26.0, lossWPerMK: 0.17 }}\n" for i in range(1, 4001))
        specials.append(("4,000 pipes", write("pipes.yaml", base.replace("    - { id: T15, from: J4,", chain + "    - { id: T15, from: X4000,"))))
        specials.append(("4,000 pipes to nowhere", write("dangling.yaml", base.replace("    - { id: T15,", chain + "    - { id: T15,"))))
        for label, path in specials:
            outcome, dt, detail = judge([binary, "check", path, "--profiles", PROFILES])
            tmax = max(tmax, dt)
            if dt > 5: slow.append((label, dt))
            counts[("special", outcome)] = counts.get(("special", outcome), 0) + 1
            print(f"  special: {label}: {outcome} in {dt:.2f} s {detail[:100]}")
            if outcome not in ("accepted", "refused"): problems.append(f"special {label}: {outcome}: {detail}")
            if label == "4,000 pipes" and (outcome != "accepted" or dt >= 2): problems.append(f"4,000 pipes: {outcome} in {dt:.2f} s of CPU (must check in < 2 s)")
    total = sum(counts.values())
    print(f"{total} runs, longest {tmax:.2f} s of CPU; " + ", ".join(f"{s} {o}: {n}" for (s, o), n in sorted(counts.items())))
    for p in problems[:40]: print("  PROBLEM " + p)
    for s, dt in slow: print(f"  SLOW {s}: {dt:.1f} s")
    if not record:
        ok = not problems and not slow and total >= 400
        print(f"mutations: {1 if ok else 0} passed, {0 if ok else 1} failed")
        sys.exit(0 if ok else 1)
    return outcomes

if __name__ == "__main__":
    if len(sys.argv) < 4 or sys.argv[1] not in ("generate", "run"): sys.exit(__doc__)
    (generate if sys.argv[1] == "generate" else run)(sys.argv[2], sys.argv[3])
