"""The versioned cart service. It imports contractkit; contractkit never imports it."""
