"""Text intelligence for Xieshang: plain Python, offline, never imports Django.

Modules: ``segment`` (words, keywords, places), ``similar`` (similar-text index and merge
suggestions), ``routing`` (category and handling-unit suggestions), ``topics`` (hot topics),
``replyquality`` (reply scores with reasons) and ``cli`` (the ``xieshang textintel`` commands).
"""
