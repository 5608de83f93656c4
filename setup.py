"""The build carries the project's top-level folders inside the package.

templates/, static/, translations/ and migrations/ stay at the top of the project, where
one edits them; a wheel puts them in ``congress/`` beside the code, where
``congress.paths.project_folder`` finds them once installed. An editable install
(``pip install -e .``) leaves them where they are and reads them there.
"""

import runpy
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# The folders the app reads at run time, from the module that finds them (read as a file:
# the build cannot import the package, whose dependencies it does not have).
PACKAGED_FOLDERS = runpy.run_path(str(ROOT / "congress" / "paths.py"))["PACKAGED_FOLDERS"]
# Left out of the wheel: bytecode, and the template written for outside translators.
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pot")


class BuildPyWithFolders(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for name in PACKAGED_FOLDERS:
            target = Path(self.build_lib) / "congress" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / name, target, ignore=LEFT_OUT)


setup(cmdclass={"build_py": BuildPyWithFolders})
