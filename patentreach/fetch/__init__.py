"""Getting the data: download the offices' free bulk feeds and extract slices of public datasets.

``fetch`` sits beside ``sources`` in the layers: it writes files into a download folder and
knows nothing of the warehouse; ``patentreach fetch ... --ingest`` hands the files it wrote to
``ingest`` in the command layer. Everything here is bounded (time, size) and resumable, and the
tests run it against a loopback server replaying recorded real responses: nothing reaches the
network in the test suite.
"""
