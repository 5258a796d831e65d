"""The HTTP layer's records of a namespace's traffic: the fault rules that shape answers
(faults.py) and the journal of requests (journal.py). The engine knows resources and time only;
`simulator.namespace.Namespace` puts the two together."""
