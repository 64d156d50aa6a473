"""The demo's outgoing mail server: accepts every email and saves it, unsent,
as an .eml file (open it with any mail client).

    python3 demo/mail_sink.py MAIL_DIR

Listens on a free port of 127.0.0.1 and writes that port to MAIL_DIR/port.
Started and stopped by scripts/demo; not part of the addon (nothing imports
this file). Python's standard library only: a few SMTP commands, no TLS, no
authentication, for a demo on one's own machine.
"""

import itertools
import pathlib
import socketserver
import sys

COUNTER = itertools.count(1)


class SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, *lines):
        self.wfile.write(b"".join(line.encode() + b"\r\n" for line in lines))

    def handle(self):
        self.reply("220 credit_dunning demo: emails are saved, not sent")
        while line := self.rfile.readline():
            verb = line[:4].decode("ascii", "replace").upper()
            if verb == "EHLO":
                self.reply("250-demo", "250-8BITMIME", "250-SMTPUTF8", "250 HELP")
            elif verb in ("HELO", "MAIL", "RCPT", "RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self.save(self.read_data())
                self.reply("250 OK: saved")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def read_data(self):
        lines = []
        while (line := self.rfile.readline()) and line.rstrip(b"\r\n") != b".":
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)

    def save(self, message):
        path = self.server.mail_dir / f"{next(COUNTER):04d}.eml"
        path.write_bytes(message)


class Sink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    mail_dir = pathlib.Path(sys.argv[1])
    mail_dir.mkdir(parents=True, exist_ok=True)
    with Sink(("127.0.0.1", 0), SmtpHandler) as server:
        server.mail_dir = mail_dir
        (mail_dir / "port").write_text(str(server.server_address[1]))
        server.serve_forever()


if __name__ == "__main__":
    main()
