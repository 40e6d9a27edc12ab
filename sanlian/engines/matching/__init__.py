"""Supply–demand matching: ranks partners for a posting among offers, requests and enterprise profiles.

Pure Python + numpy (rjieba, bm25s, zhconv); nothing here imports Django or the apps.

    from sanlian.engines.matching import Profile, Query, MatchIndex

    index = MatchIndex.build(profiles, edges=[("U1", "M2"), ...])      # supplier → customer node edges
    matches = index.search(Query(text="寻找西林瓶供应商", node="M2", town="pujiang"), k=10, exclude_ids=("p1",))
    baseline = index.search_text_only(query, k=10)                     # plain BM25, reasons: text only

Every Match carries its Reasons (codes + params, worded by the application): text {terms}, upstream
{node, for}, downstream {node, for}, same_node {node}, same_park {park}, same_town {town},
same_district {district}, certification {codes}, fresh {days}. See index.py for the scoring and text.py for
normalisation (NFKC, traditional → simplified, lower case) and tokenisation (rjieba + biomedical user
dictionary + stop words). evaluation.py reads labelled sets and computes nDCG@10 and recall@20.
"""

from sanlian.engines.matching.index import Match, MatchIndex, Profile, Query, Reason, Weights
from sanlian.engines.matching.text import normalize, requested_certifications, tokenize

__all__ = [
    "Match",
    "MatchIndex",
    "Profile",
    "Query",
    "Reason",
    "Weights",
    "normalize",
    "requested_certifications",
    "tokenize",
]
