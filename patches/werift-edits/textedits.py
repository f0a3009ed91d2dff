"""Exact text edits to werift's bundles, shared by the edit scripts here.

Each edit names an exact text and its replacement. In a bundle it must match once (applied) or not at
all (reported as missing: not every bundle has every class); more than one match stops the script.
"""
import sys


class TextEdits:
    def __init__(self):
        self.edits = []

    def edit(self, name, old, new, required=True):
        self.edits.append((name, old, new))

    def apply(self, path):
        text = open(path).read()
        done, missing = [], []
        for name, old, new in self.edits:
            n = text.count(old)
            if n == 1:
                text = text.replace(old, new)
                done.append(name)
            elif n == 0:
                missing.append(name)
            else:
                sys.exit(f"{path}: {name} matches {n} times")
        open(path, "w").write(text)
        print(f"{path}: applied {len(done)}, missing {missing}")

    def main(self):
        """Applies every edit to each bundle named on the command line."""
        for path in sys.argv[1:]:
            self.apply(path)
