"""WeChat Official Account (公众号) connector: callbacks at /wechat, forwarded to Rasa's REST channel."""
