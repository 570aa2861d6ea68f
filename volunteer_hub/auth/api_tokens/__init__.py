"""Personal API tokens: the model, issuing and checking them, the bearer-token hook and the
"API-nøgler" pages. A token acts for its owner, so it lives with accounts."""
