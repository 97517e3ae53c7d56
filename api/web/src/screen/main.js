import "./screen.css";
