'use strict';

const express = require('express');
const bodyParser = require('body-parser');
const auth = require('./auth');

const app = express();
app.use(bodyParser.json());

app.post('/login', auth.login);
app.post('/login/sms/start', auth.sendSmsCode);
app.post('/login/sms/verify', auth.verifySmsCode);

// Tasks are kept in memory until we move them to Postgres.
const tasks = [
  { id: 1, title: 'Prepare Q3 roadmap', owner: 'alice@acme.com' },
  { id: 2, title: 'Review onboarding copy', owner: 'bob@acme.com' }
];

app.get('/tasks', (req, res) => {
  res.json(tasks);
});

// Hand a task over to a teammate.
app.post('/delegation', (req, res) => {
  const task = tasks.find(t => t.id === Number(req.body.taskId));
  if (!task) {
    return res.status(404).json({ error: 'task_not_found' });
  }
  task.delegatedBy = task.owner;
  task.owner = req.body.assignee;
  res.json(task);
});

const port = process.env.PORT || 3001;
app.listen(port, () => {
  console.log(`Acme Notes API listening on port ${port}`);
});
