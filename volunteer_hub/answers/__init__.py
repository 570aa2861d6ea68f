"""The family's answers on its private link (issue 22): "we have met", "nobody has contacted us",
"another volunteer", help with a topic, "call me with an interpreter".

Floors: above matching (an answer is recorded against a match, and the follow-up flags of
``matching.followup`` receive the family's answer from here), below reports (which count them).
"""
