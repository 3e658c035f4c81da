//! Typing of plain scalars as Kubernetes' YAML reader (go-yaml, YAML 1.1
//! rules) types them. Filled in by the parser work.
