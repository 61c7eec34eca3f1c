# lit configuration for wqcheck.  Run through scripts/test (or
# `cmake --build build --target check`); see docs/testing.md.
import os
import shutil
import subprocess

import lit.formats

config.name = "wqcheck"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.wqcheck_build_dir, "tests")
# Sample drivers and helpers are inputs, not tests.
config.excludes = ["drivers", "tools", "fixtures", "lit.cfg.py"]

src = config.wqcheck_src_dir
for var in ("HOME", "KDIR", "TMPDIR", "LANG", "LC_ALL"):
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
    try:
        return subprocess.check_output([os.path.join(src, "scripts", "kdir")],
                                       text=True).strip()
    except subprocess.CalledProcessError:
        lit_config.fatal("no kernel build directory: set KDIR or install "
                         "linux-headers-amd64 (scripts/bootstrap)")


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
    ("%kdir", kdir()),
    ("%spatch", spatch),
    ("%cocci", os.path.join(src, "cocci")),
    ("%drivers", os.path.join(src, "tests", "drivers")),
    ("%src", src),
]
