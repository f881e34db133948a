"""The client MTA: sends its outbox by itself, one step at a time, reacting to every reply.

What it does with each kind of reply is the lesson RFC 5321 4.2.1 and 4.5.4 teach:

* 2yz - done, go on;  251 - accepted, the server forwards;
* 4yz - not now: keep the message (or recipient) and retry later;
* 5yz - never: give up on it and report it to the sender (a bounce);
* 551 - the user moved: report the new address, which needs its own transaction;
* 500/502 to EHLO - an old server: fall back to HELO (RFC 5321 3.2).

By default it waits for each reply before the next command, which is what a learner
can follow.  With ``pipelining=True``, and a server whose EHLO reply lists PIPELINING,
it sends as a modern MTA does (RFC 2920 3.1): MAIL, every RCPT and DATA in one write,
and the next message's group right after a message's final dot.  The replies come
back in order, and each is matched to the command and message it answers.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

from ..i18n import N_
from ..protocol import BadReply, ClientConnection, Command, Reply, State
from ..protocol.phrase import Phrase
from .outcomes import summary
from .outgoing import OutgoingMessage

TEXT = "<text>"            # what _plan returns when the message text is next
COMMANDS_KEPT = 64         # commands built and remembered per client (see ClientMTA._command)
NOTES_KEPT = 1000          # notes remembered per client, the newest (each message adds one)
_TYPED = (None, None)      # a reply to a line the learner typed, not to the client MTA
# The next step as the app shows it: Phrases, made once, that the app says in the
# learner's language (smtpsim.mta.phrases.say).
_STEP_CLOSED = Phrase(N_("connection closed"))
_STEP_GIVE_UP = Phrase(N_("say QUIT: the server refused what it needs"))
_STEP_GREET = {verb: Phrase(N_("introduce itself with {verb}"), verb=verb)
               for verb in ("EHLO", "HELO")}
_STEP_EMPTY = Phrase(N_("say QUIT: the outbox is empty"))
_STEP_MAIL = Phrase(N_("open a transaction with MAIL"))
_STEP_CLEAR = Phrase(N_("clear the transaction left open (RSET)"))
_STEP_DATA = Phrase(N_("ask to send the text (DATA)"))
_STEP_ABANDON = Phrase(N_("abandon the transaction (RSET): no recipient to send to"))
_STEP_TEXT = Phrase(N_("send the message text, dot-stuffed, ending with '.'"))
_STEP_NOTHING = Phrase(N_("nothing to do"))


class ClientMTA:
    def __init__(self, host: str, outbox: Iterable[OutgoingMessage] = (), *,
                 use_ehlo: bool = True, pipelining: bool = False) -> None:
        self.host = host
        self.conn = ClientConnection()
        # A queue: messages leave from the front as they are done (a deque, so that a
        # long outbox does not shift every entry each time one leaves).
        self.outbox: deque[OutgoingMessage] = deque(outbox)
        self.done: list[OutgoingMessage] = []
        self.use_ehlo = use_ehlo
        self.extensions: list[str] = []
        self._size_offered = False   # SIZE listed in the EHLO reply (RFC 1870)
        self._8bit_offered = False   # 8BITMIME listed in the EHLO reply (RFC 6152)
        self.pipelining = pipelining
        self._pipelined = False      # asked for, and PIPELINING listed in the EHLO reply
        # What the client says about the replies, for the panes and the transcript; only
        # the newest NOTES_KEPT are kept, so a client that sends for hours stays bounded.
        self.notes: list[str] = []
        # What each reply still to come answers, and for which message, oldest first
        # (several at once only when pipelining).  Lines the learner typed have no entry.
        self._answers: deque[tuple[str, OutgoingMessage | None]] = deque()
        # After a refusal that leaves nothing to send (HELO refused, RSET refused) the
        # client only says QUIT; if even QUIT is refused it closes the connection itself.
        self.giving_up = False
        self.hung_up = False
        # The last line that was no reply, and why the client stopped talking to a server
        # that cannot be one (a reply past the limits, a deadline): for the caller to say.
        self.bad_reply: BadReply | None = None
        self.failure: str | None = None
        self._greeted = False         # the first reply is the greeting (220, 421 or 554)
        # Commands already built, by verb and argument: saves making a Command for each one a
        # client sends again, such as one sender's MAIL FROM (4 % of a bench_engine transaction).
        self._commands: dict[tuple[str, str], Command] = {}

    @property
    def current(self) -> OutgoingMessage | None:
        return self.outbox[0] if self.outbox else None

    @property
    def step(self) -> str:
        """A short description of what the client will do next (shown in the app)."""
        if self.conn.state is State.CLOSED or self.hung_up:
            return _STEP_CLOSED
        if self.conn.pending:
            return Phrase(N_("waiting for the reply to {command}"), command=self.conn.pending[0])
        return self._plan()[1]

    def next_output(self) -> bytes | None:
        """The bytes of the next command (or of the whole message text), or None."""
        conn = self.conn
        if conn.awaiting_replies or conn.state is State.CLOSED or self.hung_up:
            return None
        command = self._plan()[0]
        if command is None:
            return None
        outbox = self.outbox
        job = outbox[0] if outbox else None
        if isinstance(command, str):   # TEXT: the message text is next
            self._answers.append((TEXT, job))
            if not self._pipelined:
                return conn.send_data(job.content if job is not None else b"")
            if job is None or not job.accepted or job.outcome != "waiting":
                # RFC 2920 3.1: DATA accepted although no recipient was: send a lone dot.
                return conn.send_data(b"")
            wire = conn.send_data(job.content)
            if len(outbox) > 1 and not self.giving_up:
                # RFC 2920 3.1: message text may be the first "command" of a group, so the
                # next message's envelope follows the final dot without waiting.
                self._check_8bit(outbox[1])
                wire += self._group(outbox[1])
            return wire
        verb = command.verb
        if verb == "MAIL" and job is not None:
            self._check_8bit(job)
            if self._pipelined:
                return self._group(job)
        self._answers.append((verb, job))
        return conn.send(command)

    def _group(self, job: OutgoingMessage) -> bytes:
        """RFC 2920 3.1: MAIL, every RCPT and DATA (last: it needs a reply) in one write."""
        commands = [self._mail_command(job)]
        commands += [self._command("RCPT", f"TO:<{rcpt}>")
                     for rcpt in job.recipients[job.next_recipient:]]
        commands.append(self._command("DATA"))
        send = self.conn.send
        wire = b"".join([send(command) for command in commands])
        self._answers.extend([(command.verb, job) for command in commands])
        return wire

    def _plan(self) -> tuple[Command | str | None, str]:
        """What to send next, and why in a few words (the app shows them as the step)."""
        state, job = self.conn.state, (self.outbox[0] if self.outbox else None)   # current
        if self.giving_up and state in (State.INIT, State.READY, State.MAIL, State.RCPT):
            return self._command("QUIT"), _STEP_GIVE_UP
        if state is State.INIT:
            verb = "EHLO" if self.use_ehlo else "HELO"
            return self._command(verb, self.host), _STEP_GREET[verb]
        if state is State.READY:
            if job is None:
                return self._command("QUIT"), _STEP_EMPTY
            return self._mail_command(job), _STEP_MAIL
        if state is State.MAIL or state is State.RCPT:
            if job is None or not job.started:
                return self._command("RSET"), _STEP_CLEAR
            if job.next_recipient < len(job.recipients):
                rcpt = job.recipients[job.next_recipient]
                return self._command("RCPT", f"TO:<{rcpt}>"), Phrase(
                    N_("name recipient <{address}>"), address=rcpt)
            if job.accepted and job.outcome == "waiting":
                return self._command("DATA"), _STEP_DATA
            return self._command("RSET"), _STEP_ABANDON
        if state is State.DATA:
            return TEXT, _STEP_TEXT
        return None, _STEP_NOTHING

    def _mail_command(self, job: OutgoingMessage) -> Command:
        """MAIL FROM, with SIZE (RFC 1870) and BODY=8BITMIME (RFC 6152) when offered."""
        params = f" SIZE={len(job.content)}" if self._size_offered else ""
        if self._8bit_offered and not job.content.isascii():
            # RFC 6152 3: 8-bit text is sent only with BODY=8BITMIME, to a server offering it.
            params += " BODY=8BITMIME"
        return self._command("MAIL", f"FROM:<{job.sender}>{params}")

    def _check_8bit(self, job: OutgoingMessage) -> None:
        if not self._8bit_offered and not job.content.isascii():
            self.notes.append(Phrase(N_(
                "the text has 8-bit octets but the server does not offer 8BITMIME: RFC 6152 3 "
                "asks a client to convert it to 7-bit MIME or return it; sent as it is, a "
                "7-bit server may clear the high bit (RFC 5321 2.4)")))

    def _command(self, verb: str, argument: str = "") -> Command:
        command = self._commands.get((verb, argument))
        if command is None:
            if len(self._commands) >= COMMANDS_KEPT:
                self._commands.clear()
            command = self._commands[verb, argument] = Command(verb, argument)
        return command

    def receive(self, data: bytes) -> list[Reply]:
        conn = self.conn
        conn.receive_data(data)
        replies = []
        next_event = conn.next_event
        answers = self._answers
        while True:
            event = next_event()
            if type(event) is not Reply:
                if type(event) is BadReply:   # kept for the caller to report; read on
                    self.bad_reply = event
                    continue
                break
            replies.append(event)
            code = event.code
            if code >= 100:   # not a 050 progress line (Reply.is_progress)
                answered, job = answers.popleft() if answers else _TYPED
                if not self._greeted:
                    self._greeted = True
                    if code // 100 != 2 and code != 421:   # 421: closing, below
                        self._refused_greeting(event)
                        continue
                if code == 421:   # whatever it answers: the server is closing
                    self._finish_all("deferred", Phrase(N_(
                        "421: the server closed the connection; retry later")))
                elif (react := _REACTIONS.get(answered)) is not None:   # None: typed
                    react(self, event, code // 100, job)
        return replies

    # -- what each reply means to the client, by the command it answers --------------
    def _on_ehlo(self, reply: Reply, first: int, job: OutgoingMessage | None) -> None:
        if reply.code in (500, 502):
            # RFC 5321 3.2: "command not recognized" to EHLO - fall back to HELO.
            self.use_ehlo = False
            self.notes.append(Phrase(N_("{code} to EHLO: an old server; falling back to HELO"),
                                     code=reply.code))
        elif first != 2:
            self._refused_as_client(reply, "EHLO")
        elif reply.code == 250:
            self.extensions = list(reply.lines[1:])
            keywords = {e.split()[0].upper() for e in self.extensions if e.split()}
            self._size_offered = "SIZE" in keywords
            self._8bit_offered = "8BITMIME" in keywords
            self._pipelined = self.pipelining and "PIPELINING" in keywords

    def _on_helo(self, reply: Reply, first: int, job: OutgoingMessage | None) -> None:
        if first != 2:
            self._refused_as_client(reply, "HELO")

    def _refused_greeting(self, reply: Reply) -> None:
        """RFC 5321 3.1: a 554 instead of the 220 means "no SMTP service here"; the server
        waits for QUIT, answering 503 to anything else, so QUIT is all the client says."""
        self.giving_up = True
        self._finish_all("deferred" if reply.code // 100 == 4 else "failed",
                         Phrase(N_("{code} greeting: the server offers no mail service to "
                                   "{host} (RFC 5321 3.1); say QUIT"),
                                code=reply.code, host=self.host))

    def _refused_as_client(self, reply: Reply, verb: str) -> None:
        """HELO or EHLO refused: nothing can be sent on this connection."""
        self.giving_up = True
        self._finish_all("deferred" if reply.code // 100 == 4 else "failed", Phrase(N_(
            "{code} to {verb}: the server will not talk to {host}; say QUIT"),
            code=reply.code, verb=verb, host=self.host))

    def _on_mail(self, reply: Reply, first: int, job: OutgoingMessage | None) -> None:
        if job is None:
            return
        if first == 2:
            job.started = True
        else:
            self._finish(job, "deferred" if first == 4 else "failed",
                         Phrase(N_("MAIL got {code}"), code=reply.code))

    def _on_rcpt(self, reply: Reply, first: int, job: OutgoingMessage | None) -> None:
        if job is None or self._settled(reply, "RCPT", job):
            return
        rcpt = job.recipients[job.next_recipient]
        job.next_recipient += 1
        if first == 2:
            job.accepted.append(rcpt)
            if reply.code == 251:
                self.notes.append(Phrase(N_("251: the server will forward <{address}>"),
                                         address=rcpt))
        elif first == 4:
            job.refusals[rcpt] = reply.code
            job.deferred.append(rcpt)
            self.notes.append(Phrase(N_("{code} for <{address}>: temporary; retry it later"),
                                     code=reply.code, address=rcpt))
        else:
            job.refusals[rcpt] = reply.code
            job.failed.append(rcpt)
            extra = Phrase(N_(" - the user moved: {text}"), text=reply.text) \
                if reply.code == 551 else ""
            self.notes.append(Phrase(N_("{code} for <{address}>: permanent; report it{extra}"),
                                     code=reply.code, address=rcpt, extra=extra))

    def _on_data(self, reply: Reply, first: int, job: OutgoingMessage | None) -> None:
        if job is None or self._settled(reply, "DATA", job) or reply.code == 354:
            return   # 354: go ahead, next_output sends the text
        self._finish(job, "deferred" if first == 4 else "failed",
                     Phrase(N_("DATA got {code}"), code=reply.code))

    def _on_text(self, reply: Reply, first: int, job: OutgoingMessage | None) -> None:
        if job is None or self._settled(reply, TEXT, job):
            return
        outcome = "delivered" if first == 2 else "deferred" if first == 4 else "failed"
        self._finish(job, outcome, Phrase(N_("end of data got {code}"), code=reply.code))

    def _settled(self, reply: Reply, answered: str, job: OutgoingMessage) -> bool:
        """True when a reply to RCPT, DATA or the text was already decided (RFC 2920 3.1):

        * MAIL was refused, so the server refuses what was pipelined behind it (503);
        * pipelining, every recipient was refused, so DATA is refused too - or, if a server
          accepted it, the lone dot sent in place of the text is answered."""
        if job.outcome != "waiting":
            self.notes.append(Phrase(N_(
                "{code} to {answered}: expected - MAIL had already been refused, so the "
                "message is {outcome} (RFC 2920 3.1)"), code=reply.code, answered=answered,
                outcome=Phrase(job.outcome)))
            return True
        if answered != "RCPT" and self._pipelined and not job.accepted \
                and (answered == TEXT or reply.code != 354):
            self._finish(job, "deferred" if job.deferred else "failed",
                         Phrase(N_("no recipient accepted; {answered} got {code}"),
                                answered=answered, code=reply.code))
            return True
        return False

    def _on_rset(self, reply: Reply, first: int, job: OutgoingMessage | None) -> None:
        if first != 2:
            self.giving_up = True
            self.notes.append(Phrase(N_("{code} to RSET: the transaction cannot be cleared; "
                                        "say QUIT"), code=reply.code))
            if job is not None and job.started:
                self._finish(job, "deferred", Phrase(N_("RSET got {code}"), code=reply.code))
        elif job is not None and job.started:
            # A 4yz recipient is worth another try later; only all-5yz is a bounce.
            self._finish(job, "deferred" if job.deferred else "failed",
                         Phrase(N_("no recipient accepted")))

    def _on_quit(self, reply: Reply, first: int, job: OutgoingMessage | None) -> None:
        if reply.code != 221:
            # RFC 5321 3.8: QUIT was sent and answered; the client may now close.
            self.hung_up = True
            self.notes.append(Phrase(N_("{code} to QUIT: the client closes the connection "
                                        "itself"), code=reply.code))

    def _finish(self, job: OutgoingMessage, outcome: str, why: str) -> None:
        job.outcome = outcome
        notes = self.notes
        notes.append(summary(job, outcome, why))
        if len(notes) > NOTES_KEPT:
            del notes[:-NOTES_KEPT]
        outbox = self.outbox
        if outbox and outbox[0] is job:
            outbox.popleft()   # the usual case: the message being sent is at the front
            self.done.append(job)
        elif job in outbox:
            outbox.remove(job)
            self.done.append(job)

    def _finish_all(self, outcome: str, why: str) -> None:
        for job in list(self.outbox):
            self._finish(job, outcome, why)
        if not self.notes or not self.notes[-1].startswith("421"):
            self.notes.append(why)


# What the client does with a reply depends first on what it answers (RFC 5321 4.2.1).
Reaction = Callable[[ClientMTA, Reply, int, OutgoingMessage | None], None]
_REACTIONS: dict[str | None, Reaction] = {"EHLO": ClientMTA._on_ehlo, "HELO": ClientMTA._on_helo,
              "MAIL": ClientMTA._on_mail, "RCPT": ClientMTA._on_rcpt,
              "DATA": ClientMTA._on_data, TEXT: ClientMTA._on_text,
              "RSET": ClientMTA._on_rset, "QUIT": ClientMTA._on_quit}
