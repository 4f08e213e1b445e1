// Every protocol module, imported for its registrations. Adding a protocol = adding a line here.
import "./frame.js";
import "./data.js";
import "./eth.js";
