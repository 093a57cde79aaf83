// GOV.UK Frontend's behaviour (error summary focus, mobile menu); every page works without it.
import { initAll } from "/assets/govuk-frontend.min.js";

initAll();
