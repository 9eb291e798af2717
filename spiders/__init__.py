"""Scrapy spiders: they wire requests to akhbar's parsing functions and hold no rules."""
