/* global Auth0, firebase, AUTH0_DOMAIN, AUTH0_CLIENT_ID, FIREBASE_CONFIG */
/* global showNotes, showIdentities, showLoggedIn */
var auth0 = new Auth0({
  domain: AUTH0_DOMAIN,
  clientID: AUTH0_CLIENT_ID,
  callbackURL: window.location.origin + '/',
  responseType: 'token'
});

firebase.initializeApp(FIREBASE_CONFIG);

function signInToFirebase() {
  auth0.getDelegationToken({
    id_token: localStorage.getItem('id_token'),
    api: 'firebase',
    target: AUTH0_CLIENT_ID
  }, function (err, result) {
    if (err) {
      return console.error('Could not get a Firebase token', err);
    }
    firebase.auth().signInWithCustomToken(result.id_token).then(function (user) {
      firebase.database().ref('notes/' + user.uid).on('value', showNotes);
    });
  });
}

// ID tokens expire after 10 hours; renew while the tab stays open.
function renewIdToken() {
  auth0.renewIdToken(localStorage.getItem('id_token'), function (err, result) {
    if (err) {
      return logout();
    }
    localStorage.setItem('id_token', result.id_token);
  });
}

function linkAccount(connection) {
  auth0.login({ connection: connection, popup: true }, function (err, result) {
    if (err) {
      return console.error('Could not sign in with ' + connection, err);
    }
    var userId = localStorage.getItem('user_id');
    var secondary = result.idTokenPayload.sub.split('|');
    fetch('https://' + AUTH0_DOMAIN + '/api/v2/users/' + userId + '/identities', {
      method: 'POST',
      headers: {
        'Authorization': 'Bearer ' + localStorage.getItem('id_token'),
        'Content-Type': 'application/json'
      },
      body: JSON.stringify({ provider: secondary[0], user_id: secondary[1] })
    }).then(function (res) { return res.json(); }).then(showIdentities);
  });
}

function unlinkAccount(provider, secondaryId) {
  var userId = localStorage.getItem('user_id');
  var url = 'https://' + AUTH0_DOMAIN + '/api/v2/users/' + userId +
    '/identities/' + provider + '/' + secondaryId;
  fetch(url, {
    method: 'DELETE',
    headers: { 'Authorization': 'Bearer ' + localStorage.getItem('id_token') }
  }).then(function (res) { return res.json(); }).then(showIdentities);
}

function login() {
  auth0.login({ scope: 'openid' });
}

function logout() {
  localStorage.removeItem('id_token');
  localStorage.removeItem('user_id');
  firebase.auth().signOut().then(function () {
    window.location.href = '/';
  });
}

var authResult = auth0.parseHash(window.location.hash);
if (authResult && authResult.idToken) {
  localStorage.setItem('id_token', authResult.idToken);
  localStorage.setItem('user_id', authResult.idTokenPayload.sub);
  window.location.hash = '';
}

if (localStorage.getItem('id_token')) {
  showLoggedIn();
  signInToFirebase();
  setInterval(renewIdToken, 60 * 60 * 1000);
}
