"""After sending: correcting answers, withdrawing, answering an agency's question, through
the API (`api`) and the case page's correction flow (`pages`); `views` shows what a
correction means, per agency, to both."""
