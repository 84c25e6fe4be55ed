#!/usr/bin/env python3
"""Lists the main classes over 400 lines (configuration properties classes aside) and the methods over 40
lines in every module's src/main/java, and exits non-zero if there is any.

    python3 .ci/source-sizes.py [root]

Methods are found by their signature's last line ending in '{' and end at the closing brace at the
indentation where their declaration starts (spring-javaformat's layout)."""
import os
import re
import sys

MAX_CLASS_LINES = 400
MAX_METHOD_LINES = 40
SIGNATURE_END = re.compile(r'^(\t+)[^=;]*\)\s*(throws [^{]*)?\{\s*$')
STATEMENT_END = re.compile(r'([;{}]|\*/)\s*$')
ANNOTATION = re.compile(r'^@[\w.]+(\(.*\))?$')
TYPE_DECLARATION = re.compile(r'\b(class|interface|enum|record)\b')
CONTROL = re.compile(r'^(if|for|while|switch|catch|else|try|do|synchronized|return|new)\b')


def declaration_start(lines, i):
	k = i
	while k > 0 and lines[k - 1].strip() and not STATEMENT_END.search(lines[k - 1]) \
			and not ANNOTATION.match(lines[k - 1].strip()):
		k -= 1
	return k


def long_methods(lines):
	i = 0
	while i < len(lines):
		if SIGNATURE_END.match(lines[i]):
			k = declaration_start(lines, i)
			first = lines[k].strip()
			if not TYPE_DECLARATION.search(' '.join(lines[k:i + 1])) and not CONTROL.match(first):
				indent = re.match(r'^(\t*)', lines[k]).group(1)
				j = i + 1
				while j < len(lines) and lines[j] != indent + '}':
					j += 1
				if j - k + 1 > MAX_METHOD_LINES:
					yield k + 1, j - k + 1, first
				i = j
		i += 1


def main(root):
	found = []
	for directory, _, files in os.walk(root):
		if '/target' in directory or '/src/main/java' not in directory:
			continue
		for name in sorted(files):
			if not name.endswith('.java'):
				continue
			path = os.path.join(directory, name)
			lines = open(path, encoding='utf-8').read().split('\n')
			if len(lines) > MAX_CLASS_LINES and not name.endswith('Properties.java'):
				found.append(f'{path}: {len(lines)} lines')
			for line, length, signature in long_methods(lines):
				found.append(f'{path}:{line}: method of {length} lines: {signature[:80]}')
	for entry in found:
		print(entry)
	return 1 if found else 0


if __name__ == '__main__':
	sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else '.'))
