"""The course in the app: lesson panes and the exam screens (behaviour lives in smtpsim.course)."""
