import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';

// A small SMTP server on loopback for the demo and tests: EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT,
// DATA, RSET, NOOP, QUIT. It keeps what it receives; tests can make the next DATA fail.

export interface ReceivedMail {
  id: string;
  from: string;
  to: string[];
  data: string;
  user?: string;
}

export class SmtpEmulator {
  readonly messages: ReceivedMail[] = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private dataFailures: Array<{ code: number; text: string } | 'drop'> = [];
  port = 0;

  constructor(private readonly credentials?: { user: string; password: string }) {}

  /** The next message's end of DATA is answered with this reply (4xx/5xx), or the connection is dropped. */
  failNextData(reply: { code: number; text: string } | 'drop'): void {
    this.dataFailures.push(reply);
  }

  async start(port = 0): Promise<number> {
    this.server = createServer((socket) => this.session(socket));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this.port;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private session(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.setEncoding('utf8');
    const reply = (line: string) => socket.write(`${line}\r\n`);
    let buffer = '';
    let mode: 'command' | 'data' | 'auth-user' | 'auth-pass' = 'command';
    let from = '';
    let to: string[] = [];
    let user: string | undefined;
    let pendingUser = '';
    const authenticated = () => !this.credentials || user !== undefined;
    const checkLogin = (name: string, password: string) => {
      if (this.credentials && (name !== this.credentials.user || password !== this.credentials.password)) {
        reply('535 5.7.8 Authentication credentials invalid');
        return;
      }
      user = name;
      reply('235 2.7.0 Authentication successful');
    };

    reply('220 pressroom-smtp-emulator ESMTP');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        if (mode === 'data') {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const data = buffer.slice(0, end).replace(/^\.\./gm, '.');
          buffer = buffer.slice(end + 5);
          mode = 'command';
          const failure = this.dataFailures.shift();
          if (failure === 'drop') {
            // Kept, but the answer never arrives.
            this.messages.push({ id: randomBytes(8).toString('hex'), from, to, data, user });
            socket.destroy();
            return;
          }
          if (failure) {
            reply(`${failure.code} ${failure.text}`);
          } else {
            const id = randomBytes(8).toString('hex');
            this.messages.push({ id, from, to, data, user });
            reply(`250 2.0.0 Ok: queued as ${id}`);
          }
          from = '';
          to = [];
          continue;
        }
        const newline = buffer.indexOf('\r\n');
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        if (mode === 'auth-user') {
          pendingUser = Buffer.from(line, 'base64').toString('utf8');
          mode = 'auth-pass';
          reply('334 UGFzc3dvcmQ6');
          continue;
        }
        if (mode === 'auth-pass') {
          mode = 'command';
          checkLogin(pendingUser, Buffer.from(line, 'base64').toString('utf8'));
          continue;
        }
        const [verb = '', ...rest] = line.split(' ');
        const argument = rest.join(' ');
        switch (verb.toUpperCase()) {
          case 'EHLO':
            reply('250-pressroom-smtp-emulator');
            reply('250-AUTH PLAIN LOGIN');
            reply('250-8BITMIME');
            reply('250 SMTPUTF8');
            break;
          case 'HELO':
            reply('250 pressroom-smtp-emulator');
            break;
          case 'AUTH': {
            const [method, initial] = argument.split(' ');
            if (method?.toUpperCase() === 'PLAIN' && initial) {
              const [, name = '', password = ''] = Buffer.from(initial, 'base64').toString('utf8').split('\0');
              checkLogin(name, password);
            } else if (method?.toUpperCase() === 'LOGIN') {
              mode = 'auth-user';
              reply('334 VXNlcm5hbWU6');
            } else {
              reply('504 5.5.4 Unrecognized authentication type');
            }
            break;
          }
          case 'MAIL':
            if (!authenticated()) {
              reply('530 5.7.0 Authentication required');
              break;
            }
            from = /<([^>]*)>/.exec(argument)?.[1] ?? '';
            to = [];
            reply('250 2.1.0 Ok');
            break;
          case 'RCPT':
            to.push(/<([^>]*)>/.exec(argument)?.[1] ?? '');
            reply('250 2.1.5 Ok');
            break;
          case 'DATA':
            if (!from || !to.length) {
              reply('503 5.5.1 Bad sequence of commands');
              break;
            }
            mode = 'data';
            reply('354 End data with <CR><LF>.<CR><LF>');
            break;
          case 'RSET':
            from = '';
            to = [];
            reply('250 2.0.0 Ok');
            break;
          case 'NOOP':
            reply('250 2.0.0 Ok');
            break;
          case 'QUIT':
            reply('221 2.0.0 Bye');
            socket.end();
            return;
          default:
            reply('502 5.5.2 Command not recognized');
        }
      }
    });
  }
}
