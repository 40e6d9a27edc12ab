"""Assemble the kernels of a rule into one closure ``run(frame, store)`` giving the rule's outcome.

Built once by compile_rule, in two flavours sharing the same kernels: ``vector`` combines numpy
arrays (np.minimum for "all", np.maximum for "any", ``2 - x`` for "not"; always into new arrays, so
criterion outcomes stay intact for the explanations), ``one_row`` combines Python ints with min/max.
When ``store`` is a list, each criterion's outcome is put at its index (indexable by row: the
array itself, or a 1-tuple for one row).
"""

from functools import reduce

import numpy as np

from .kernels import make_kernel
from .nodes import Leaf


def build_runner(node, one_row: bool = False):
    if isinstance(node, Leaf):
        return _leaf(node, one_row)
    children = [build_runner(child, one_row) for child in node.children]
    if node.kind == "not":
        return _negate(children[0])
    if one_row:
        return _combine(min if node.kind == "all" else max, children, many=min if node.kind == "all" else max)
    pick = np.minimum if node.kind == "all" else np.maximum
    return _combine(pick, children, many=lambda outcomes: reduce(pick, outcomes))


def _leaf(leaf: Leaf, one_row: bool):
    kernel = make_kernel(leaf.criterion, leaf.fact_spec, leaf.param_spec)
    index = leaf.index

    def run(frame, store):
        out = kernel(frame)
        if store is not None:
            store[index] = out
        return out

    def run_one_row(frame, store):
        out = kernel(frame)
        if store is not None:
            store[index] = (out,)
        return out

    return run_one_row if one_row else run


def _combine(pick, children: list, many):
    """``pick`` combines two outcomes, ``many`` a list of them (min/max, or their numpy forms)."""
    if len(children) == 1:
        return children[0]
    if len(children) == 2:
        first, second = children

        def run_pair(frame, store):
            return pick(first(frame, store), second(frame, store))

        return run_pair

    def run(frame, store):
        return many([child(frame, store) for child in children])

    return run


def _negate(child):
    def run(frame, store):
        return 2 - child(frame, store)

    return run
