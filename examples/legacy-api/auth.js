'use strict';

const axios = require('axios');
const fetch = require('node-fetch');

const domain = process.env.AUTH0_DOMAIN;
const clientId = process.env.AUTH0_CLIENT_ID;
const RO_URL = `https://${domain}/oauth/ro`;

function sendTokens(res, tokens) {
  res.json({
    id_token: tokens.id_token,
    access_token: tokens.access_token,
    expires_in: tokens.expires_in
  });
}

// POST /login  { username, password }
exports.login = (req, res) => {
  const { username, password } = req.body;

  axios.post('https://' + process.env.AUTH0_DOMAIN + '/oauth/ro', {
    client_id: process.env.AUTH0_CLIENT_ID,
    username,
    password,
    connection: 'Username-Password-Authentication',
    grant_type: 'password',
    scope: 'openid',
    device: 'api-server'
  })
    .then(response => sendTokens(res, response.data))
    .catch(err => {
      const status = err.response ? err.response.status : 502;
      res.status(status).json({ error: 'login_failed' });
    });
};

// POST /login/sms/start  { phoneNumber }
exports.sendSmsCode = (req, res) => {
  fetch(`https://${domain}/passwordless/start`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      client_id: clientId,
      connection: 'sms',
      phone_number: req.body.phoneNumber,
      send: 'code'
    })
  })
    .then(r => res.sendStatus(r.ok ? 204 : r.status))
    .catch(() => res.sendStatus(502));
};

// POST /login/sms/verify  { phoneNumber, code }
exports.verifySmsCode = (req, res) => {
  const { phoneNumber, code } = req.body;

  fetch(RO_URL, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      client_id: clientId,
      username: phoneNumber,
      password: code,
      connection: 'sms',
      grant_type: 'password',
      scope: 'openid'
    })
  })
    .then(r => r.json().then(body => ({ ok: r.ok, status: r.status, body })))
    .then(result => {
      if (!result.ok) {
        return res.status(result.status).json({ error: 'invalid_code' });
      }
      sendTokens(res, result.body);
    })
    .catch(() => res.sendStatus(502));
};
