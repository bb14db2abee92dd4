"""The enterprise patent survey: instrument, sample, responses, weights, estimates."""
