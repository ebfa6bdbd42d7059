// Public settings for the browser app. Nothing secret goes in here.
var AUTH0_DOMAIN = 'acme.auth0.com';
var AUTH0_CLIENT_ID = 'q8fTz1LwN5bXo2GkR7vYc3HjP0sDe6Ua';

var FIREBASE_CONFIG = {
  apiKey: 'FIREBASE_WEB_API_KEY',
  authDomain: 'acme-notes.firebaseapp.com',
  databaseURL: 'https://acme-notes.firebaseio.com'
};
