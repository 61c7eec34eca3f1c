# lit configuration for wqcheck.  Run through scripts/test (or
# `cmake --build build --target check`); see docs/testing.md.
import os
import re
import shutil
import subprocess

import lit.formats

src = config.wqcheck_src_dir
kdir_script = os.path.join(src, "scripts", "kdir")

# Kernels (docs/kernels.md).  CMake writes one site config per supported
# series (scripts/kdir --series): build/tests for the first, the primary
# one, which runs every test; build/tests-SERIES for each other, which runs
# the kbuild-based tests again -- every test whose RUN lines build with
# kbuild (%kmake, %sample) or read the headers (%kdir) -- with the same
# expectations.  tests/intree/ (a full 6.1 tree) runs on the primary only.
series = subprocess.check_output([kdir_script, "--series"], text=True).split()
kernel = lit_config.params.get("kernel", config.wqcheck_kernel)
primary = config.wqcheck_kernel == series[0]
KBUILD_RUN = re.compile(r"^\s*(#\s*)?RUN:.*%(kmake|sample|kdir)\b", re.M)


config.name = "wqcheck" if primary else "wqcheck-" + config.wqcheck_kernel
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = config.wqcheck_exec_root
# Sample drivers and helpers are inputs, not tests.
config.excludes = ["drivers", "tools", "fixtures", "lit.cfg.py"]
if not primary:
    # lit excludes by base name: every .test that does not use kbuild, the
    # names unique across tests/ (checked here).
    config.excludes.append("intree")
    kbuild, other = {}, {}
    for dirpath, dirnames, filenames in os.walk(config.test_source_root):
        dirnames[:] = [d for d in dirnames if d not in config.excludes]
        for name in filenames:
            if name.endswith(".test"):
                path = os.path.join(dirpath, name)
                with open(path) as f:
                    (kbuild if KBUILD_RUN.search(f.read()) else other)[name] = path
    clash = set(kbuild) & set(other)
    if clash:
        lit_config.fatal("test names used twice, once with kbuild: %s"
                         % ", ".join(sorted(clash)))
    config.excludes += sorted(other)

for var in ("HOME", "TMPDIR", "LANG", "LC_ALL"):
    if var in os.environ:
        config.environment[var] = os.environ[var]
config.environment["WQCHECK_SRC"] = src
config.environment["WQCHECK_BUILD"] = config.wqcheck_build_dir
config.environment["PYTHON"] = config.python_executable
config.environment["LLVM_TOOLS_DIR"] = config.llvm_tools_dir
# LLVM's test utilities (not, count, FileCheck) by name.
config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])
# Findings go to a terminal-less pipe: no colours, stable text.
config.environment.pop("TERM", None)


def kdir():
    # The primary suite honours an explicit KDIR (a path or a series);
    # --param kernel=SERIES|PATH picks one for any suite.
    want = kernel
    if primary and "kernel" not in lit_config.params and os.environ.get("KDIR"):
        want = os.environ["KDIR"]
    try:
        return subprocess.check_output([kdir_script, want], text=True).strip()
    except subprocess.CalledProcessError:
        lit_config.fatal("no headers for kernel %s: run scripts/bootstrap "
                         "(docs/kernels.md)" % want)


KDIR = kdir()
# scripts/kmake and tests/tools/sample build against this suite's kernel.
config.environment["KDIR"] = KDIR
config.available_features.add(
    "kernel-" + (kernel if re.match(r"^\d+\.\d+$", kernel) else
                 config.wqcheck_kernel))
lit_config.note("%s: KDIR=%s" % (config.name, KDIR))


spatch = shutil.which("spatch")
if not spatch:
    lit_config.fatal("spatch not found: install coccinelle (scripts/bootstrap)")

config.substitutions += [
    ("%wqcheck", os.path.join(config.wqcheck_tools_dir, "wqcheck")),
    ("%plugin", os.path.join(config.wqcheck_lib_dir, "wqcheck.so")),
    ("%clang", os.path.join(config.llvm_tools_dir, "clang")),
    ("%FileCheck", os.path.join(config.llvm_tools_dir, "FileCheck")),
    ("%verify", "%s %s" % (config.python_executable,
                           os.path.join(src, "tests", "tools", "verify.py"))),
    ("%sample", os.path.join(src, "tests", "tools", "sample")),
    ("%kmake", os.path.join(src, "scripts", "kmake")),
    ("%kdir", KDIR),
    ("%spatch", spatch),
    ("%cocci", os.path.join(src, "cocci")),
    ("%drivers", os.path.join(src, "tests", "drivers")),
    ("%src", src),
]
