// The baseline of bench/README.md: the smallest LiveKit token server people write (express +
// livekit-server-sdk), with no authentication, quota, ledger or audit.
import express from 'express';
import { AccessToken } from 'livekit-server-sdk';

const app = express();
app.use(express.json());
app.post('/token', async (req, res) => {
  const { room, identity } = req.body;
  const token = new AccessToken('APIbench', 'bench-secret-0123456789abcdefghijklmnop', { identity, ttl: '10m' });
  token.addGrant({ roomJoin: true, room, canPublish: true, canSubscribe: true });
  res.json({ token: await token.toJwt() });
});
const port = Number(process.env.PORT ?? 3999);
app.listen(port, '127.0.0.1', () => console.log(`baseline listening on 127.0.0.1:${port}`));
