"""Exports for the tools teachers already use: Wireshark, Moodle, slides.

Standard library only (no Textual, no Rich): the CLI, the app's F9 and the tests
call the same writers.

* :mod:`.pcapng` - a session as a capture file (``smtpsim run FILE --pcap OUT``).
* :mod:`.sequence` (Mermaid) and :mod:`.sequence_svg` - the session as a sequence diagram.
* :mod:`.moodle` (Moodle XML and GIFT, from :mod:`.quiz`) - an exam as a Moodle import.

Each writer takes what the engine already produces - transcript entries
(:class:`smtpsim.mta.Entry`) or exam questions (:class:`smtpsim.course.questions.Question`)
- and reads them only through their public attributes.

Nothing is imported here: ``smtpsim run`` loads a writer only when its file is asked
for.
"""
