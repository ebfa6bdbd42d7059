/* global login, logout, linkAccount, unlinkAccount */
function showLoggedIn() {
  document.getElementById('app').hidden = false;
  document.getElementById('login-btn').hidden = true;
  document.getElementById('logout-btn').hidden = false;
}

function showNotes(snapshot) {
  var list = document.getElementById('notes');
  list.innerHTML = '';
  snapshot.forEach(function (note) {
    var item = document.createElement('li');
    item.textContent = note.val().text;
    list.appendChild(item);
  });
}

// The first identity is the account the user signed in with.
function showIdentities(identities) {
  var list = document.getElementById('identities');
  list.innerHTML = '';
  identities.slice(1).forEach(function (identity) {
    var item = document.createElement('li');
    var button = document.createElement('button');
    item.textContent = identity.provider + ' ';
    button.textContent = 'Unlink';
    button.onclick = function () {
      unlinkAccount(identity.provider, identity.user_id);
    };
    item.appendChild(button);
    list.appendChild(item);
  });
}

document.getElementById('login-btn').onclick = function () {
  login();
};
document.getElementById('logout-btn').onclick = function () {
  logout();
};

Array.prototype.forEach.call(document.querySelectorAll('.link-btn'), function (button) {
  button.onclick = function () {
    linkAccount(button.getAttribute('data-connection'));
  };
});
