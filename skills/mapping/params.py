"""The fitting settings of the mapper, apart from the fitting code so that the artefact's input hash
can be checked at load time without importing scikit-learn."""

SEED = 0
SVM_C = 0.1
CALIBRATION_FOLDS = 5
CALIBRATION_TOP = 5  # ranks per held-out query that the calibrator learns from
WORD_PATTERN = r"(?u)\b[a-z0-9][a-z0-9+#.]*\b"  # ASCII terms such as c++, c#, node.js, gpt-4 parts
CHAR_NGRAMS = (2, 4)
WORD_NGRAMS = (1, 2)
# Semantic half: a linear SVM over sentence embeddings, added to the lexical scores with this weight.
# Chosen on the own evaluation set and the real-text dev split (docs/skills-mapping.md), never on test.
HEAD_C = 1.0
FUSION_WEIGHT = 0.5
# The head over the static embedder's vectors (static.py) is regularised more: its mean-of-words vectors
# are noisier than e5's (dev and own set, docs/skills-mapping.md "Semantic half").
STATIC_HEAD_C = 0.1
