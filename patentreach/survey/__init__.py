"""The national enterprise patent survey: instrument, frame, sampling, responses and design-based
estimation (weights, calibration, Taylor-linearised and replicate variances, confidence intervals).

Modules are imported by their own names (``patentreach.survey.estimate``, ``.design``, ...); this
package imports nothing eagerly so that reading a form does not load the estimation stack.
"""
